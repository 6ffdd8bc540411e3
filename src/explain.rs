//! Long explanations of diagnostic codes, for `qc explain CODE`: the `.q` diagnostics (E, W)
//! and the problems of replies (V). Each shows an example that causes it; most examples are
//! the fixture of that code, word for word (`tests/fixtures/fail/`, `tests/fixtures/replies/`).

/// One code's explanation: what it means, an example, and how to fix it.
struct Entry {
    code: &'static str,
    title: &'static str,
    body: &'static str,
    example: &'static str,
}

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../tests/fixtures/fail/", $name))
    };
}

/// An export fixture: what `qc compile --emit …` cannot carry.
macro_rules! export {
    ($name:literal) => {
        include_str!(concat!("../tests/fixtures/exports/", $name))
    };
}

/// A reply fixture, validated against `questionnaires/crime-prevention.q`, or against the pass
/// fixture its `form` names.
macro_rules! reply {
    ($name:literal) => {
        include_str!(concat!("../tests/fixtures/replies/", $name))
    };
}

const ENTRIES: &[Entry] = &[
    Entry {
        code: "E0000",
        title: "internal error",
        body: "qc met a state it believed impossible. This is a bug in qc, not in your file: \
               please report it with the file that caused it.",
        example: "",
    },
    Entry {
        code: "E0001",
        title: "syntax error",
        body: "The file does not follow the grammar of the .q language. qc stops at the first \
               syntax error and names what it expected at that place. Semantic checks run only \
               once the file parses.",
        example: fixture!("E0001-syntax.q"),
    },
    Entry {
        code: "E0002",
        title: "brackets nest too deep",
        body: "Parentheses, brackets and braces may nest at most 64 deep. Deeper nesting is \
               refused before parsing so that no input can exhaust the stack. Split a long \
               condition into simpler ones, or flatten the items.",
        example: "question q2 \"…\" : yes_no when ((((((((… q1 = yes …))))))))\n",
    },
    Entry {
        code: "E0003",
        title: "invalid UTF-8",
        body: "A .q file must be UTF-8. The message names the line and column of the first \
               byte that is not; the file itself is not shown, since bytes that are not text \
               may be anything. Save the file as UTF-8 in your editor.",
        example: "section main \"Main \\xFF\" { … }   (a byte 0xFF in the title)\n",
    },
    Entry {
        code: "E0006",
        title: "not a .q source",
        body: "A file read as a .q source does not start with a declaration (`instrument`, \
               `import`, `from`, `scale`, `special`, `document`, `block`, `translation`, \
               `introduction`, `section` or `test`, after blank lines and comments). qc names \
               the file and never quotes it: a file reached by mistake or by malice, such as \
               a key or an environment, must not be printed into a build log. Check the path \
               of the import.",
        example: fixture!("E0006-not-a-source.q"),
    },
    Entry {
        code: "E0004",
        title: "unknown escape in a text",
        body: "Inside a quoted text, a backslash starts an escape: \\\" for a quotation mark, \
               \\\\ for a backslash, \\n for a line break, \\t for a tab. Any other character \
               after a backslash is an error. Typographic quotes (“ ”) need no escape.",
        example: fixture!("E0004-bad-escape.q"),
    },
    Entry {
        code: "E0005",
        title: "text is never closed",
        body: "A quoted text opened with \" runs to the end of the file. Add the closing \
               quotation mark where the text ends.",
        example: fixture!("E0005-unterminated-text.q"),
    },
    Entry {
        code: "E0007",
        title: "number out of range",
        body: "A number in the file cannot be held by a form: forms, JSON and JavaScript hold \
               numbers as IEEE doubles, from about 1e-308 to 1.8e308. A larger one would be \
               read as infinity and a smaller one as 0, changing what the instrument says, so \
               qc refuses it where it is written.",
        example: "question q1 \"How many?\" : integer max 1000…(400 zeros)…0\n",
    },
    Entry {
        code: "E0101",
        title: "duplicate name",
        body: "Two declarations share a name where names must be unique: item ids (across the \
               whole instrument), scales, documents, sections, paragraphs of a document, \
               columns and rows of a grid, fields of a list, header fields. Replies store \
               answers by item id, so each must be unique.",
        example: fixture!("E0101-duplicate-id.q"),
    },
    Entry {
        code: "E0102",
        title: "unknown item",
        body: "A condition names an item id that no item has. Check the spelling: qc suggests \
               the closest id.",
        example: fixture!("E0102-unknown-item.q"),
    },
    Entry {
        code: "E0103",
        title: "unknown option",
        body: "A condition compares a choice with a code that its scale lacks, or `on` names \
               such a code. Conditions are typed so that this is caught when the instrument is \
               written, not when the first reply arrives.",
        example: fixture!("E0103-unknown-code.q"),
    },
    Entry {
        code: "E0104",
        title: "unknown scale",
        body: "An answer type names a scale that is not declared. Declare it with \
               `scale name { code \"Label\" … }`, or fix the spelling.",
        example: fixture!("E0104-unknown-scale.q"),
    },
    Entry {
        code: "E0105",
        title: "unknown document",
        body: "A `cites` or `quote` names a reference document that is not declared.",
        example: fixture!("E0105-unknown-document.q"),
    },
    Entry {
        code: "E0106",
        title: "unknown paragraph",
        body: "A citation or excerpt names a paragraph, or a subparagraph, that its document \
               does not declare. Every citation must resolve to a declared paragraph.",
        example: fixture!("E0106-unknown-paragraph.q"),
    },
    Entry {
        code: "E0107",
        title: "condition is not a yes-or-no test",
        body: "A condition must be true or false. A bare item, number, date or text is none of \
               these: compare it (`q25 = yes`), test membership (`q4 in [yes, yes_in_part]`, \
               `q9 has media`), or test that it was answered (`answered(q3)`).",
        example: fixture!("E0107-not-boolean.q"),
    },
    Entry {
        code: "E0108",
        title: "operands do not go together",
        body: "A comparison's two sides must have the same type: a choice with one of its codes \
               (`=`, `!=`), numbers with numbers and dates with dates (any comparison), texts \
               with texts (`=`, `!=`). `in` takes a single choice, `has` a multiple choice.",
        example: fixture!("E0108-type-mismatch.q"),
    },
    Entry {
        code: "E0109",
        title: "conditions form a cycle",
        body: "An item is asked only when its condition holds and its parent is asked. When \
               these dependencies loop back to an item, no order of answering can settle \
               whether it is asked. The message lists the whole cycle.",
        example: fixture!("E0109-cycle.q"),
    },
    Entry {
        code: "E0110",
        title: "empty scale",
        body: "A scale, or an inline list of options, has no options: nothing could be chosen.",
        example: fixture!("E0110-empty-scale.q"),
    },
    Entry {
        code: "E0111",
        title: "duplicate code",
        body: "Two options of one scale have the same code. Codes are what replies store, so \
               each must be unique within its scale.",
        example: fixture!("E0111-duplicate-code.q"),
    },
    Entry {
        code: "E0112",
        title: "follow-up not bound to its parent's answer",
        body: "A follow-up (\"If the answer is Yes, please specify\") is asked for some answers \
               of its parent. It needs `on CODE` (a code of the parent's scale) or a `when` \
               condition that reads its parent or items under it, and it must stand inside the \
               item it follows.",
        example: fixture!("E0112-unbound-followup.q"),
    },
    Entry {
        code: "E0113",
        title: "bounds cross",
        body: "A number's least value (`min`) is above its greatest (`max`): no answer fits.",
        example: fixture!("E0113-inverted-bounds.q"),
    },
    Entry {
        code: "E0114",
        title: "instrument header missing or incomplete",
        body: "Every file has one header, `instrument id { title \"…\" }`, with a title. An \
               empty file has none.",
        example: fixture!("E0114-no-title.q"),
    },
    Entry {
        code: "E0115",
        title: "both required and optional",
        body: "An item says both `required` and `optional`. Items with an answer are required \
               by default; keep `optional` or remove both.",
        example: fixture!("E0115-required-and-optional.q"),
    },
    Entry {
        code: "E0116",
        title: "nothing to answer",
        body: "An item has neither an answer type nor sub-items, so a respondent could not \
               answer it. Give it a type (`: yes_no`, `: long_text` …) or sub-items.",
        example: fixture!("E0116-nothing-to-answer.q"),
    },
    Entry {
        code: "E0117",
        title: "field outside a follow-up",
        body: "`field` declares one typed part of a follow-up, such as the title and the date \
               of adoption. Elsewhere, use `item` (numbered) or `ask` (unnumbered).",
        example: fixture!("E0117-field-outside-followup.q"),
    },
    Entry {
        code: "E0118",
        title: "cannot read an imported file",
        body: "An `import` or `from … import` names a file that cannot be read: it does not \
               exist, or is not readable. Paths are relative to the folder of the file that \
               names them, and written with forward slashes on every system. The same holds \
               for the file of a `translation`.",
        example: fixture!("E0118-unreadable-import.q"),
    },
    Entry {
        code: "E0134",
        title: "outside the instrument's root",
        body: "An `import`, `from … import` or `translation` names a file outside the \
               instrument's root: by an absolute path, by `..` that climb above the root, or \
               through a symbolic link that leads out of it. qc reads only inside the root (the \
               folder of the file given on the command line, or the folder given with \
               `--root`), and refuses such a path before it opens anything, so that an \
               instrument contributed by someone else cannot read the files of the machine \
               that checks it. Move the file inside the root, or widen the root with `--root`.",
        example: fixture!("E0134-outside-root.q"),
    },
    Entry {
        code: "E0119",
        title: "import cycle",
        body: "Files import each other in a circle: a.q imports b.q, which imports a.q. Neither \
               can be read first. The message shows the whole chain and a note marks each \
               import on it. Move what the files share into a third file that both import.",
        example: fixture!("E0119-import-cycle.q"),
    },
    Entry {
        code: "E0120",
        title: "a name is taken twice",
        body: "Two declarations answer to one name in a file: a scale declared in the file and \
               a scale imported under the same name, two imports of one name, or an import \
               alias that is also a declaration. The compiled form, too, names each scale and \
               document once: two used ones with the same id are reported. Import one of them \
               under an alias (`import \"…\" as common`, then `common.yes_no`), or rename it.",
        example: fixture!("E0120-name-clash.q"),
    },
    Entry {
        code: "E0121",
        title: "an imported file is not a module",
        body: "An imported file may declare scales, documents and blocks, and import others. A \
               header, an introduction, sections and translations belong to the instrument \
               that imports them. Move the shared declarations into a module of their own.",
        example: fixture!("E0121-not-a-module.q"),
    },
    Entry {
        code: "E0122",
        title: "unknown imported name",
        body: "`from \"file\" import name` names something the file does not declare, or a \
               qualified name such as `common.yes_no` uses an alias that no `import … as` \
               gave. A module exports what it declares itself, not what it imports.",
        example: fixture!("E0122-unknown-import.q"),
    },
    Entry {
        code: "E0123",
        title: "unknown block",
        body: "`use name(…)` names no block declared in the file or imported into it.",
        example: fixture!("E0123-unknown-block.q"),
    },
    Entry {
        code: "E0124",
        title: "block arguments do not match",
        body: "A `use` must give each parameter of the block exactly once, by name, with a value \
               of its kind: an item id for `item`, a quoted text for `text`, rows in braces for \
               `rows`. The help line shows the block's parameters.",
        example: fixture!("E0124-block-arguments.q"),
    },
    Entry {
        code: "E0125",
        title: "a block uses itself",
        body: "A block uses itself, directly or through other blocks, so its expansion would \
               never end. Notes show the uses that lead back to it.",
        example: fixture!("E0125-block-recursion.q"),
    },
    Entry {
        code: "E0135",
        title: "blocks expand past their limit",
        body: "Expanding blocks has a budget: each use of a block costs its size (at least 64 \
               bytes), and each text argument the bytes it fills in, and one compilation may \
               spend 4 MiB. Uses may also nest at most 64 deep. A block that uses another \
               twice, which uses another twice, doubles at each level: 30 levels of a 1 KB file \
               would make a billion questions. The notes show the chain of uses that reached \
               the limit. Write the repeated part once, or use the blocks fewer times.",
        example: fixture!("E0135-expansion-budget.q"),
    },
    Entry {
        code: "E0126",
        title: "unknown parameter",
        body: "Inside a block, `{name}` in a text must name a `text` or `item` parameter, and \
               `rows name` in a grid a `rows` parameter; outside a block there are no \
               parameters. In a block's texts, write `{{` and `}}` for braces.",
        example: fixture!("E0126-unknown-parameter.q"),
    },
    Entry {
        code: "E0127",
        title: "a translation file cannot be read",
        body: "The file of a `translation` declaration is not JSON, lacks `\"format\": \
               \"qc-translation/1\"`, is in another language than declared, or has an entry \
               without `source_hash` and `text` strings. The label points at the place in the \
               file. `qc translations new FILE --lang fr` writes a valid file to start from.",
        example: fixture!("E0127-translation-file.q"),
    },
    Entry {
        code: "E0128",
        title: "the answers of a test do not fit",
        body: "A test that expects no problem gives answers that a reply could not give: a code \
               not in the scale, a value of the wrong type, or an answer to an item that its \
               other answers do not ask. Such a test would pass or fail for the wrong reason. \
               Correct the answers, or, to test that a reply is refused, expect the problem: \
               the help writes the expectation, such as `expect problem V0103 at q1`, with the \
               code and item of the problem found.",
        example: fixture!("E0128-test-answers.q"),
    },
    Entry {
        code: "E0129",
        title: "a test expects the impossible",
        body: "An expectation of a test names a grid column the grid does not have, a problem \
               code replies cannot have, or asks whether a column is required (a column is \
               asked or not). Unknown items are E0102.",
        example: fixture!("E0129-test-expectation.q"),
    },
    Entry {
        code: "E0130",
        title: "not a value, or a function used wrongly",
        body: "Where a value is expected (a side of a comparison, a calculated value, an \
               argument), qc found a condition, an unknown function, a function with the wrong \
               number or type of arguments, an `if` whose two values differ in type, or a \
               divisor that divides again, or a computed date given to `days` or `years`. The \
               functions are `sum`, `count`, `min`, `max`, `if`, `today`, `year`, `days`, \
               `years` and the condition `unique`. Turn a condition into a number with \
               `if(condition, 1, 0)`; calculate a divisor first with `calc`.\n\n\
               Over the records of a list, an aggregate takes those that meet a condition with \
               `where`: `count(services where this.kind = shelter)`, \
               `sum(services.staff where this.kind = shelter)`. The condition tests each \
               record alone, so it reads the record's fields (`this.field`) and fixed values, \
               never another item or `today()`; compare the aggregate with those outside it. \
               `unique(services.name)` holds when no two records have the same name; it \
               compares records with each other, so it is a rule of the list question itself, \
               not of each record. A value computed in each record (`calc` inside the list) \
               reads the fields before it, fixed values and `today()`, never another item. \
               `; missing none` (or `; missing skip`, the default) says what an aggregate does \
               with a missing value; other functions take no such clause. `score(q)` reads \
               the scores of a choice's options (`never \"Never\" = 0`), which every option of \
               its scale must have; `band(total, risk, 10, 20)` takes a number, a scale and \
               one limit fewer than the scale has options, each greater than the one before. \
               Amounts add to amounts and are multiplied or divided by numbers; at most one \
               amount is multiplied, and one divides it (`foreign / cost` is a number). `sum`, \
               `min` and `max` take numbers or amounts, not both. An aggregate that may have \
               no value (`min`, `max`, one with `missing none`, one of amounts) takes no \
               aggregate among its values: compute the inner one as a calculated value and \
               take that, which keeps every target's rules as long as the source.",
        example: fixture!("E0130-bad-value.q"),
    },
    Entry {
        code: "E0131",
        title: "unknown field of a record",
        body: "`this.field` reads a field of the record at hand, and `list.field` the field of \
               every record of a list (inside an aggregate). The field must be one the list \
               declares, and `this` is only known inside a list's own logic: a field's `when` \
               and a list's `check`. A list inside a record or a grid row cannot have logic of \
               its own.",
        example: fixture!("E0131-unknown-field.q"),
    },
    Entry {
        code: "E0132",
        title: "special answer not allowed here",
        body: "`allow` names special answers declared with `special code \"Label\"`, each once, \
               on an item that takes an answer. A special answer may not share its code with an \
               option of the item's scale: a reply could not tell them apart.",
        example: fixture!("E0132-bad-special.q"),
    },
    Entry {
        code: "E0133",
        title: "malformed table",
        body: "A table needs at least one row and one column that are not totals, and at most \
               one total row and one total column.",
        example: fixture!("E0133-bad-table.q"),
    },
    Entry {
        code: "E0137",
        title: "unknown heading of the report",
        body: "`feeds` names a heading of the report on the replies that the instrument does not \
               declare. Declare the report's headings once, at the top of the instrument: \
               `report { heading difficulties \"Difficulties encountered\" }`; an item then \
               writes `feeds difficulties` in its braces.",
        example: fixture!("E0137-unknown-heading.q"),
    },
    Entry {
        code: "E0138",
        title: "unknown rows",
        body: "`rows name` in a grid, or a block argument for a `rows` parameter, names rows \
               that are not in scope: not a `rows` parameter of the block being used, and not \
               named rows declared (`rows areas { row … }`) or imported (`from \"common/areas.q\" \
               import areas`, or `common.areas` after `import … as common`).",
        example: fixture!("E0138-unknown-rows.q"),
    },
    Entry {
        code: "E0136",
        title: "respondent block after a section",
        body: "The respondent block (`respondent \"Title\" { … }`) asks who replies: the \
               country or organization, the office, the focal point, the date. It is answered \
               first, so it comes before the first section. An instrument has at most one \
               (a second one is E0101).",
        example: fixture!("E0136-respondent-after-section.q"),
    },
    Entry {
        code: "W0201",
        title: "condition refers to a later item",
        body: "A condition reads an item that comes after the item it controls. Respondents \
               answer in order, so the item would appear or vanish after they moved on. A \
               warning: it fails `qc check` only with --deny-warnings.",
        example: fixture!("W0201-later-reference.q"),
    },
    Entry {
        code: "W0202",
        title: "condition can never be true",
        body: "qc proves, for simple cases, that no reply can satisfy a condition: `false`, one \
               choice required to equal two different codes, or a number outside its declared \
               bounds. The item could never be asked.",
        example: fixture!("W0202-never-true.q"),
    },
    Entry {
        code: "W0203",
        title: "duplicate label",
        body: "Two items with answers, side by side under the same parent (or two questions of \
               one section), have the same label: a respondent cannot tell them apart. Scales \
               are checked for options with the same label too.",
        example: fixture!("W0203-duplicate-label.q"),
    },
    Entry {
        code: "W0204",
        title: "a question cites no paragraph",
        body: "The instrument has reference documents, and this question cites none of their \
               paragraphs, neither itself nor through its sub-items or grid rows. Each question \
               of an information-gathering instrument asks about some paragraphs; `qc coverage` \
               lists which are asked about. Add `cites`, or `allow uncited` in the question's \
               braces when it asks about no paragraph.",
        example: fixture!("W0204-uncited.q"),
    },
    Entry {
        code: "W0205",
        title: "a quoted paragraph has no text",
        body: "`quote` shows paragraphs to the respondent, and this one is declared `pending`: \
               its official text is not at hand. Add the text, or quote another paragraph. \
               Citing a pending paragraph is fine.",
        example: fixture!("W0205-pending-quote.q"),
    },
    Entry {
        code: "W0206",
        title: "a translation is stale",
        body: "Each entry of a translation file keeps the hash of the source text it \
               translates. The source text has changed since (or the entry is marked \
               `\"review\": true`), so the translation may say something else: the compiled \
               form shows the source text instead until it is reviewed. \
               `qc translations update` marks every changed entry for review, with the new \
               source beside the old translation; check the text, then delete the mark.",
        example: fixture!("W0206-stale-translation.q"),
    },
    Entry {
        code: "W0207",
        title: "a translation names no text",
        body: "An entry of a translation file has a key that no text of the instrument has: \
               the text was removed, or its item, scale or section renamed. \
               `qc translations update` drops such entries; to keep a translation across a \
               rename, rename its key too.",
        example: fixture!("W0207-unknown-translation-key.q"),
    },
    Entry {
        code: "N0001",
        title: "texts not yet translated",
        body: "A note, never a failure: how many texts of the instrument a declared translation \
               does not give yet, with the first of their keys. They stay in the instrument's \
               language in the compiled form and in exports with --lang. \
               `qc translations status` shows the progress of every language.",
        example: fixture!("N0001-missing-translations.q"),
    },
    Entry {
        code: "W0208",
        title: "a label disagrees with its condition",
        body: "The label restates a condition (\"If the answer to questions 25 and/or 26 is \
               “Yes”\", \"If the answer to (b) and/or (c) above is “Yes”\", \"If the answer is \
               “Yes”\"), and names other questions, sub-items or answers than the condition \
               reads, by their current numbers and labels. After a renumbering, the text tells \
               respondents to look at the wrong question. Correct the text or the condition; in \
               a block, `{needs}` writes the current number of the item given for `needs`.",
        example: fixture!("W0208-prose-disagrees.q"),
    },
    Entry {
        code: "W0209",
        title: "a translation pipes no item's answer",
        body: "A translated label, help, note or message writes `{name}` where `name` is no \
               item whose answer a text can show: a misspelt id, an id translated with the \
               text, or braces meant as braces. The compiled form and the exports show the \
               source text instead. Keep each `{id}` of the source text as it is, and write \
               `{{` and `}}` for braces.",
        example: fixture!("W0209-translation-pipes-unknown-item.q"),
    },
    Entry {
        code: "W0301",
        title: "an export cannot hold a construct",
        body: "`qc compile --emit xlsform|surveyjs|fhir` reports each construct the target \
               cannot express as qc does, on the item it belongs to, and what becomes of it \
               (once for each kind of loss, the other items that lose the same as labels): a \
               special answer not offered, an amount split into a number and a currency, a \
               constraint of a section shown rather than enforced, a text that shows a value \
               in a format without piping. The compiled JSON form and `qc validate` keep all of \
               it; `docs/exports.md` lists what each export carries. It is a warning: \
               `--deny-warnings` refuses the export, and `--diagnostic-format json` reports it \
               as a JSON line like every diagnostic.",
        example: export!("W0301-export-loss.q"),
    },
    Entry {
        code: "V0001",
        title: "not a reply",
        body: "A reply is a JSON object with a `form` string (the instrument id) and an `answers` \
               object keyed by item id; `version`, if present, is a string. See \
               docs/response-format.md.",
        example: reply!("V0001-not-a-reply.json"),
    },
    Entry {
        code: "V0002",
        title: "reply to another form",
        body: "The reply's `form` names another instrument. Nothing else is checked: answers to \
               one form say nothing about another.",
        example: reply!("V0002-wrong-form.json"),
    },
    Entry {
        code: "V0003",
        title: "reply to another version",
        body: "The reply was made with another version of the form. A warning: the answers are \
               still checked against this version.",
        example: reply!("V0003-wrong-version.json"),
    },
    Entry {
        code: "V0101",
        title: "unknown item",
        body: "The reply answers an id that no item of the form has, or an item that takes no \
               answer of its own (a question made of sub-items, a follow-up made of fields).",
        example: reply!("V0101-unknown-item.json"),
    },
    Entry {
        code: "V0102",
        title: "wrong type",
        body: "An answer has the wrong JSON type: a choice takes a code string, a multiple choice \
               an array of codes, a text a string, a number a number, a list an array of \
               records, a grid an object of rows.",
        example: reply!("V0102-wrong-type.json"),
    },
    Entry {
        code: "V0103",
        title: "unknown option",
        body: "A choice answer is not a code of the item's scale; or a `country` answer is not \
               an ISO 3166-1 alpha-3 code of a country or area of UN M49 (`KEN`), nor one that \
               ISO 3166-1 leaves to users (`XKX`). Codes are upper case: `fra` is not `FRA`.",
        example: reply!("V0103-unknown-code.json"),
    },
    Entry {
        code: "V0104",
        title: "invalid date",
        body: "A date answer is not a calendar date written YYYY-MM-DD.",
        example: reply!("V0104-invalid-date.json"),
    },
    Entry {
        code: "V0105",
        title: "number out of bounds",
        body: "A number is below the item's `min` or above its `max`, or is not whole where the \
               item takes an `integer`.",
        example: reply!("V0105-out-of-bounds.json"),
    },
    Entry {
        code: "V0106",
        title: "malformed amount",
        body: "An amount is `{\"value\": number, \"currency\": code}` with an ISO 4217 currency \
               code, one of those the item allows, if it names some.",
        example: reply!("V0106-bad-amount.json"),
    },
    Entry {
        code: "V0107",
        title: "answer to an item that is not asked",
        body: "The item's condition, or that of an item above it, is false for this reply, so \
               the item should have no answer. `qc validate --strip-disabled -o FILE` writes a \
               copy of the reply without such answers.",
        example: reply!("V0107-disabled.json"),
    },
    Entry {
        code: "V0108",
        title: "required item not answered",
        body: "The item is asked and required but has no answer: no value, a cell of a \
               required table left empty, or a required grid with no box ticked in a column \
               that is asked (\"please mark the appropriate box(es)\"). A warning, since \
               replies arrive in progress; an error with `qc validate --complete`.",
        example: reply!("V0108-unanswered.json"),
    },
    Entry {
        code: "V0109",
        title: "tick in a column that is not asked",
        body: "A grid column has its own condition (\"Need technical assistance\" only if question \
               25 is Yes); a tick in that column when the condition is false is an error.",
        example: reply!("V0109-disabled-column.json"),
    },
    Entry {
        code: "V0110",
        title: "unknown grid row or column",
        body: "A grid answer names a row, or ticks a column, that the grid does not have.",
        example: reply!("V0110-bad-grid.json"),
    },
    Entry {
        code: "V0111",
        title: "malformed list record",
        body: "A record of a list lacks a required field or has a field the list does not \
               declare.",
        example: reply!("V0111-bad-record.json"),
    },
    Entry {
        code: "V0112",
        title: "the same code twice",
        body: "A multiple choice names a code twice, or a grid row ticks a column twice.",
        example: reply!("V0112-duplicate.json"),
    },
    Entry {
        code: "V0113",
        title: "special answer not allowed",
        body: "A reply gives a special answer, `{\"special\": \"code\"}`, that the item does not \
               allow (or that no item allows). An item allows special answers with `allow`; a \
               table's cells take those of their table. (This reply is to the pass fixture \
               `specials.q`.)",
        example: reply!("V0113-bad-special.json"),
    },
    Entry {
        code: "V0114",
        title: "constraint broken",
        body: "A constraint of an item, a section or a list's records does not hold. The \
               message is the constraint's own; its severity is the constraint's: an `error` \
               refuses the reply, a `warning` lets it through with the message. A constraint \
               is tested only once everything it compares has a value. (This reply is to the \
               pass fixture `calculations.q`.)",
        example: reply!("V0114-constraint.json"),
    },
    Entry {
        code: "V0115",
        title: "stored calculated value differs",
        body: "A reply may store a calculated value; qc computes it again from the answers, and \
               reports a stored value that differs. Leave calculated values out of a reply, or \
               store what the form's `calculation` gives. (This reply is to the pass fixture \
               `calculations.q`.)",
        example: reply!("V0115-calculation.json"),
    },
    Entry {
        code: "V0116",
        title: "too few or too many records",
        body: "A list declares `min` or `max` records, as a number or as the answer to an item \
               (\"as many records as persons in the household\"), and the reply has fewer or \
               more. A number read from an answer may still change while the reply is in \
               progress, so breaking it is a warning, and an error only with `--complete`. \
               (This reply is to the pass fixture `records.q`: it lists 11 guides where the \
               list takes at most 10.)",
        example: reply!("V0116-record-count.json"),
    },
    Entry {
        code: "V0117",
        title: "total differs from the sum of its cells",
        body: "A table's total row or total column states a cell that is not the sum of the \
               cells it totals. The check is made when every cell it totals is a number; a \
               cell marked \"not available\" leaves its total unchecked. (This reply is to the \
               pass fixture `tables.q`.)",
        example: reply!("V0117-total.json"),
    },
    Entry {
        code: "V0118",
        title: "amounts of different currencies",
        body: "A rule compares or adds amounts that the reply gives in different currencies. qc \
               does not convert currencies, so the rule is not checked, and the reply is told \
               why (a warning); a calculated value that computes with them (a sum of amounts, \
               say) has no value, and the reply is told so too. Give the amounts in one currency, or restrict the items to it: \
               `amount in EUR`. (This reply is to the pass fixture `money.q`.)",
        example: reply!("V0118-currencies-warning.json"),
    },
    Entry {
        code: "V0201",
        title: "reply not UTF-8",
        body: "A reply file must be UTF-8 JSON. The position of the first bad byte is given.",
        example: "{\"form\": \"crime_prevention\", \"answers\": {\"q3\": \"Minist\\xE8re\"}}   (a Latin-1 byte)\n",
    },
    Entry {
        code: "V0202",
        title: "reply not JSON",
        body: "The file is not JSON, or it is cut short. Other files of a batch are checked \
               all the same.",
        example: reply!("V0202-not-json.json"),
    },
    Entry {
        code: "V0203",
        title: "reply nests too deep",
        body: "Arrays and objects may nest at most 128 levels deep; no reply needs more, and \
               deeper input is refused before it can exhaust the stack.",
        example: "{\"form\": \"crime_prevention\", \"answers\": {\"q1\": [[[[[[ … 200 levels … ]]]]]]}}\n",
    },
    Entry {
        code: "V0204",
        title: "duplicate key",
        body: "An object of the reply has the same key twice. Many JSON readers silently keep one \
               of the two values; qc refuses the reply instead.",
        example: reply!("V0204-duplicate-key.json"),
    },
];

/// Every code qc can report, in order.
pub fn codes() -> Vec<&'static str> {
    ENTRIES.iter().map(|entry| entry.code).collect()
}

/// The title of a code's explanation, such as "unknown option".
pub fn title(code: &str) -> Option<&'static str> {
    ENTRIES
        .iter()
        .find(|entry| entry.code.eq_ignore_ascii_case(code.trim()))
        .map(|entry| entry.title)
}

/// The explanation of a code (`E0103`, `V0103`, case-insensitive), or `None` for an unknown code.
pub fn explanation(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    let entry = ENTRIES.iter().find(|entry| entry.code == code)?;
    let mut text = format!(
        "{}: {}\n\n{}\n",
        entry.code,
        entry.title,
        wrap(entry.body, 80)
    );
    if !entry.example.is_empty() {
        text.push_str("\nFor example:\n\n");
        for line in entry.example.lines() {
            text.push_str("    ");
            text.push_str(line);
            text.push('\n');
        }
    }
    Some(text)
}

/// Wraps prose at word boundaries to `width` columns.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.chars().count() > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.chars().count();
    }
    out
}
