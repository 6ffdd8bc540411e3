// Validates the benchmark's replies against the emitted response schema with ajv 8 (draft
// 2020-12, formats asserted), 100,000 validations, and prints replies per second.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [schemaPath, repliesPath] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const replies = readFileSync(repliesPath, "utf8").trim().split("\n").map((line) => JSON.parse(line));
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const total = 100_000;
let checked = 0;
for (let round = 0; round < 3; round++) {
  const start = process.hrtime.bigint();
  let valid = 0;
  for (let n = 0; n < total; n++) if (validate(replies[n % replies.length])) valid++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  checked = valid;
  console.log(`ajv: ${total} validations in ${seconds.toFixed(3)} s = ${Math.round(total / seconds)} replies/s (${valid} valid)`);
}
// Most replies are complete and valid, a quarter broken: a schema that takes all or none is not
// measuring validation, and the figure would be wrong.
if (checked === 0 || checked === total) {
  console.error(`ajv: ${checked} of ${total} replies valid; expected some valid and some not`);
  process.exit(1);
}
