// The offline form: renders the compiled form (docs/form-format.md) held in the page, applies
// its logic as the respondent answers (its JsonLogic, with json-logic-js), and keeps, saves and
// loads the reply (docs/response-format.md). Every text is set as text, never as markup.
(() => {
  "use strict";
  const form = JSON.parse(document.getElementById("qc-form").textContent);
  const strings = JSON.parse(document.getElementById("qc-strings").textContent);
  const jsonLogic = window.jsonLogic;
  const store = `qc:${form.instrument.id}:${form.instrument.version || ""}`;
  const languages = form.languages || [];
  let lang = (languages[0] && languages[0].code) || form.instrument.language || "en";

  // The items, in order, each with its parent item (null at the top of a section).
  const items = [];
  const byId = {};
  const walk = (list, parent) => {
    for (const item of list) {
      items.push({ item, parent });
      byId[item.id] = item;
      walk(item.items || [], item);
    }
  };
  for (const section of form.sections) walk(section.content.filter((b) => b.type === "item"), null);
  const scales = Object.fromEntries((form.scales || []).map((s) => [s.id, s]));
  // The countries and areas of a `country` answer: [code, name in en, fr, es, ar, ru, zh].
  const countries = JSON.parse(document.getElementById("qc-countries").textContent);
  const countryLanguages = ["en", "fr", "es", "ar", "ru", "zh"];

  // The answers, as the reply holds them; those of items no longer asked are kept aside, and
  // left out of the saved reply.
  let answers = {};
  let state = { asked: {}, data: {} };

  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  const ui = (key) => (strings[lang] && strings[lang][key]) || strings.en[key];

  // A text in the current language: its translation by key, or the source's text, marked in
  // the source's language and direction.
  const source = languages.find((l) => l.source) || languages[0];
  function text(key, fallback) {
    const translated = form.translations && form.translations[lang] && key && form.translations[lang][key];
    return translated || fallback || "";
  }
  function textNode(tag, key, fallback, attributes = {}) {
    const translated = form.translations && form.translations[lang] && key && form.translations[lang][key];
    const node = el(tag, attributes);
    node.dataset.text = translated || fallback || "";
    if (!translated && source && lang !== source.code && form.translations && form.translations[lang]) {
      node.lang = source.code;
      node.dir = source.direction;
    }
    return node;
  }

  // "Piped values": `{id}` shows the value of item `id`, `{{` and `}}` show braces.
  function piped(value, data) {
    return value.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, id) => {
      if (!id) return match[0];
      return shown(byId[id], data[id]);
    });
  }
  function shown(item, value) {
    if (value === undefined || value === null) return "…";
    if (typeof value === "object" && typeof value.special === "string") {
      const special = (form.specials || []).find((s) => s.code === value.special);
      return special ? text(`special.${special.code}`, special.label) : value.special;
    }
    if (typeof value === "object" && "currency" in value) return `${value.value} ${value.currency}`;
    const answer = (item && item.answer) || {};
    if (answer.type === "choice") {
      const options = optionsOf(item.id, answer);
      const label = (code) => {
        const option = options.find((o) => o.code === code);
        return option ? option.label : code;
      };
      return Array.isArray(value) ? value.map(label).join(", ") : label(value);
    }
    return String(value);
  }
  function optionsOf(owner, answer) {
    if (answer.scale) {
      const scale = scales[answer.scale] || { options: [] };
      return scale.options.map((o) => ({ code: o.code, label: text(`scale.${scale.id}.${o.code}`, o.label) }));
    }
    return (answer.options || []).map((o) => ({ code: o.code, label: text(`${owner}.option.${o.code}`, o.label) }));
  }

  // Conditions in words, for paper (./words.rs gives what each tests): "Answer only if the
  // answer to question 1 is “Yes”", in the page's language.
  const words = JSON.parse(document.getElementById("qc-words").textContent);
  const fill = (template, ...parts) => template.replace(/\{(\d)\}/g, (_, i) => parts[Number(i)]);
  const quote = (label) => fill(ui("quoted"), label);
  function named(ref) {
    if (ref && ref.item) {
      const item = byId[ref.item];
      if (!item) return ref.item;
      return item.number ? fill(ui("question"), item.number) : quote(text(`${item.id}.label`, item.label));
    }
    if (ref && ref.field) {
      const field = fieldOf(ref.list, ref.field);
      return quote(field ? text(`${ref.list}.${field.id}.label`, field.label) : ref.field);
    }
    if (ref && ref.cell) {
      const [table, row, column] = ref.cell;
      const answer = (byId[table] || {}).answer || {};
      const heading = (list, id, kind) => {
        const found = (list || []).find((h) => h.id === id);
        return found ? text(`${table}.${kind}.${id}`, found.label) : id;
      };
      return `${named({ item: table })} (${heading(answer.rows, row, "row")}, ${heading(answer.columns, column, "column")})`;
    }
    return "…";
  }
  function fieldOf(list, id) {
    const answer = (byId[list] || {}).answer || {};
    return (answer.fields || []).find((f) => f.id === id);
  }
  function optionLabel(ref, code) {
    let options = [];
    if (ref && ref.item && byId[ref.item] && byId[ref.item].answer) options = optionsOf(ref.item, byId[ref.item].answer);
    else if (ref && ref.field && fieldOf(ref.list, ref.field)) options = optionsOf(`${ref.list}.${ref.field}`, fieldOf(ref.list, ref.field).answer);
    const option = options.find((o) => o.code === code);
    const special = (form.specials || []).find((s) => s.code === code);
    return quote(option ? option.label : special ? text(`special.${code}`, special.label) : code);
  }
  function formula(pieces) {
    return pieces
      .map((piece) => {
        if (piece === null || typeof piece !== "object") return String(piece ?? "…");
        if (piece.code !== undefined) return optionLabel(piece, piece.code);
        if (piece.today) return ui("today");
        if (piece.if) return said(piece.if);
        if (piece.where) return said(piece.where);
        return named(piece);
      })
      .join("");
  }
  function said(node, inner = false) {
    if (!node || typeof node !== "object") return "…";
    const group = (parts, joiner) => {
      const out = parts.map((p) => said(p, true)).join(ui(joiner));
      return inner && parts.length > 1 ? `(${out})` : out;
    };
    if ("const" in node) return ui(node.const ? "always" : "never");
    if (node.all) return group(node.all, "and");
    if (node.any) return group(node.any, "or");
    if (node.not && node.not.is) return fill(ui("isnot"), named(node.not.is), node.not.codes.map((c) => optionLabel(node.not.is, c)).join(ui("or")));
    if (node.not && node.not.has) return fill(ui("hasnot"), named(node.not.has), optionLabel(node.not.has, node.not.code));
    if (node.not && node.not.answered) return fill(ui("unanswered"), named(node.not.answered));
    if (node.not) return fill(ui("not"), said(node.not));
    if (node.answered) return fill(ui("answered"), named(node.answered));
    if (node.is) return fill(ui("is"), named(node.is), node.codes.map((c) => optionLabel(node.is, c)).join(ui("or")));
    if (node.has) return fill(ui("has"), named(node.has), optionLabel(node.has, node.code));
    if (node.special) return fill(ui("is"), named(node.special), optionLabel(node.special, node.code));
    if (node.compare) return `${formula(node.lhs)} ${node.compare === "!=" ? "≠" : node.compare === "<=" ? "≤" : node.compare === ">=" ? "≥" : node.compare} ${formula(node.rhs)}`;
    if (node.unique) return fill(ui("unique"), named(node.unique), named({ field: node.field, list: node.unique.item }));
    return "…";
  }
  // The condition of an item, a field or a column, as paper states it (only printed).
  function condition(node) {
    return node ? el("p", { class: "condition", text: fill(ui("askedif"), said(node)) }) : null;
  }

  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const present = (value) => value !== undefined && value !== null;

  // A computed value as stored: an amount with the currency its `currency` computes.
  function computed(value, currency, scope) {
    if (!present(value)) return null;
    if (currency === undefined) return value;
    return { value, currency: jsonLogic.apply(currency, scope) };
  }
  const holds = (rule, data) => rule === undefined || !!jsonLogic.truthy(jsonLogic.apply(rule, data));
  const today = () => new Date().toISOString().slice(0, 10);

  // What the rules read: the answers, today's date, each record's computed fields and each
  // calculated value; and which items are asked.
  function evaluate() {
    const data = { ...clone(answers), "@today": today() };
    for (const { item } of items) {
      const answer = item.answer || {};
      if (answer.type !== "list" || !Array.isArray(data[item.id])) continue;
      for (const record of data[item.id]) {
        if (!record || typeof record !== "object") continue;
        for (const field of answer.fields) {
          if (field.calculation === undefined) continue;
          const scope = { ...data, this: record };
          record[field.id] = computed(jsonLogic.apply(field.calculation, scope), field.currency, scope);
        }
      }
    }
    for (const id of form.calculation_order || []) {
      const item = byId[id];
      const value = item.calculation === null ? null : jsonLogic.apply(item.calculation, data);
      data[id] = computed(value, item.currency, data);
    }
    const asked = {};
    for (const { item, parent } of items) {
      asked[item.id] = (parent === null || asked[parent.id]) && holds(item.condition, data);
    }
    return { asked, data };
  }

  // The reply: the answers of the items asked (of each record, the fields asked), in the
  // envelope of docs/response-format.md.
  function reply() {
    const { asked, data } = evaluate();
    const out = {};
    for (const { item } of items) {
      if (!asked[item.id] || item.kind === "calc" || !present(answers[item.id])) continue;
      let value = clone(answers[item.id]);
      const answer = item.answer || {};
      if (answer.type === "list" && Array.isArray(value)) {
        value = value.map((record, index) => {
          if (!record || typeof record !== "object") return record;
          const scope = { ...data, this: data[item.id][index] };
          for (const field of answer.fields) {
            if (field.calculation !== undefined || !holds(field.condition, scope)) delete record[field.id];
          }
          return record;
        });
      }
      out[item.id] = value;
    }
    return { form: form.instrument.id, version: form.instrument.version || null, answers: out };
  }

  // Answers changed: recompute, show and hide, keep them in the browser, tell the host page.
  function changed() {
    state = evaluate();
    update();
    try {
      localStorage.setItem(store, JSON.stringify(answers));
    } catch (_) {
      // No storage (a private window): the reply is saved with "Save reply" alone.
    }
    document.dispatchEvent(new CustomEvent("qc-change", { detail: reply() }));
  }

  function setAnswer(id, value) {
    if (present(value) && value !== "") answers[id] = value;
    else delete answers[id];
    changed();
  }

  // Inputs, each writing its part of the answers.
  let counter = 0;
  const uid = (id) => `qc-${id}-${++counter}`;

  function numberOf(input) {
    if (input.value.trim() === "") return null;
    const n = Number(input.value);
    return Number.isFinite(n) ? n : input.value;
  }

  function control(owner, answer, get, set, label) {
    const type = answer.type;
    if (type === "choice") {
      const group = el("div", { class: "choices", role: answer.multiple ? "group" : "radiogroup" });
      const name = uid(owner);
      for (const option of optionsOf(owner, answer)) {
        const id = uid(owner);
        const input = el("input", {
          type: answer.multiple ? "checkbox" : "radio",
          name,
          id,
          value: option.code,
          onchange: () => {
            if (answer.multiple) {
              const ticked = [...group.querySelectorAll("input:checked")].map((i) => i.value);
              set(ticked.length ? ticked : null);
            } else set(input.value);
          },
        });
        group.append(el("div", { class: "choice" }, input, el("label", { for: id, text: option.label })));
      }
      group.load = () => {
        const value = get();
        for (const input of group.querySelectorAll("input")) {
          input.checked = answer.multiple ? Array.isArray(value) && value.includes(input.value) : value === input.value;
        }
      };
      return group;
    }
    if (type === "country") {
      // The countries and areas by name in the page's language, then "another code": one that
      // ISO 3166-1 leaves to its users, typed in the box that choice opens.
      const column = Math.max(0, countryLanguages.indexOf(lang.split("-")[0])) + 1;
      const named = countries.map((c) => [c[0], c[column] || c[1]]).sort((a, b) => a[1].localeCompare(b[1], lang));
      const other = "user_assigned";
      const box = el("div", { class: "country" });
      const select = el(
        "select",
        { id: uid(owner) },
        el("option", { value: "", text: "—" }),
        ...named.map(([code, name]) => el("option", { value: code, text: name })),
        el("option", { value: other, text: ui("countryother") }),
      );
      const typed = el("input", { type: "text", maxlength: 3, size: 4, pattern: "[A-Z]{3}", "aria-label": ui("countrycode"), hidden: true });
      const write = () => {
        typed.hidden = select.value !== other;
        if (select.value === other) set(typed.value.trim() === "" ? null : typed.value.trim().toUpperCase());
        else set(select.value === "" ? null : select.value);
      };
      select.addEventListener("change", write);
      typed.addEventListener("input", write);
      box.append(select, typed);
      box.load = () => {
        const v = get();
        const code = typeof v === "string" ? v : "";
        const listed = !code || countries.some((c) => c[0] === code);
        select.value = listed ? code : other;
        typed.value = listed ? "" : code;
        typed.hidden = listed;
      };
      box.focusable = select;
      return box;
    }
    if (type === "amount") {
      const box = el("div", { class: "amount" });
      const value = el("input", { type: "number", step: "any", id: uid(owner), "aria-label": `${label} (${ui("value")})` });
      const currencies = answer.currencies || [];
      // One currency is stated, not chosen; several are chosen from; any is typed.
      const only = currencies.length === 1 ? currencies[0] : null;
      const currency = only
        ? el("span", { class: "currency", text: only })
        : currencies.length
          ? el("select", { "aria-label": ui("currency") }, el("option", { value: "", text: "—" }), ...currencies.map((c) => el("option", { value: c, text: c })))
          : el("input", { type: "text", maxlength: 3, size: 4, pattern: "[A-Z]{3}", "aria-label": ui("currency") });
      const write = () => {
        const n = numberOf(value);
        const code = only || currency.value.trim().toUpperCase();
        set(n === null && (only || code === "") ? null : { value: n, currency: code || null });
      };
      value.addEventListener("input", write);
      if (!only) currency.addEventListener(currencies.length ? "change" : "input", write);
      box.append(value, currency);
      box.load = () => {
        const v = get();
        value.value = v && present(v.value) ? v.value : "";
        if (!only) currency.value = v && v.currency ? v.currency : "";
      };
      box.focusable = value;
      return box;
    }
    const input =
      type === "text" && answer.long
        ? el("textarea", { rows: 4 })
        : el("input", {
            type: type === "number" ? "number" : type === "date" ? "date" : "text",
            step: type === "number" ? (answer.integer ? "1" : "any") : undefined,
            min: type === "number" ? answer.min : undefined,
            max: type === "number" ? answer.max : undefined,
          });
    input.id = uid(owner);
    input.addEventListener("input", () => set(type === "number" ? numberOf(input) : input.value === "" ? null : input.value));
    input.load = () => {
      const v = get();
      input.value = present(v) && typeof v !== "object" ? v : "";
    };
    return input;
  }

  // Special answers an item allows: a choice beside its answer.
  function specials(item, get, set) {
    if (!item.specials || !item.specials.length) return null;
    const box = el("div", { class: "specials" });
    for (const code of item.specials) {
      const special = (form.specials || []).find((s) => s.code === code) || { code, label: code };
      const id = uid(item.id);
      const input = el("input", {
        type: "checkbox",
        id,
        onchange: () => set(input.checked ? { special: code } : null),
      });
      box.append(el("div", { class: "choice" }, input, el("label", { for: id, text: text(`special.${code}`, special.label) })));
      input.load = () => {
        const v = get();
        input.checked = !!(v && v.special === code);
      };
    }
    box.load = () => box.querySelectorAll("input").forEach((i) => i.load());
    return box;
  }

  const loaders = [];
  const views = {};

  function itemView(item) {
    const answer = item.answer;
    const number = item.number ? `${item.number} ` : "";
    const wrap = el("div", { class: `item item-${item.kind}`, id: `item-${item.id}`, "data-id": item.id });
    const title = textNode("span", `${item.id}.label`, item.label, { class: "label" });
    if (item.kind === "calc") {
      if (!item.shown) wrap.hidden = true;
      const output = el("output", { class: "computed" });
      wrap.append(el("p", {}, title, el("span", { text: ": " }), output));
      views[item.id] = { wrap, output };
      return wrap;
    }
    const helps = [...(item.help || []).map((h, i) => textNode("p", `${item.id}.help.${i + 1}`, h, { class: "help" })),
      ...(item.notes || []).map((n, i) => textNode("p", `${item.id}.note.${i + 1}`, n, { class: "note" }))];
    const citation = item.citation_text ? textNode("span", `${item.id}.citations`, `(${item.citation_text})`, { class: "citation" }) : null;
    const problems = el("ul", { class: "problems", "aria-live": "polite" });
    views[item.id] = { wrap, problems };
    if (!answer) {
      wrap.append(el("p", { class: "heading" }, el("span", { class: "number", text: number }), title, citation), condition(words.items[item.id]));
      if (item.citations && item.citations.length) wrap.append(citedView(item.citations));
      wrap.append(...helps);
      for (const child of item.items || []) wrap.append(itemView(child));
      wrap.append(problems);
      return wrap;
    }
    const get = () => answers[item.id];
    const set = (value) => setAnswer(item.id, value);
    const fieldset = el("fieldset", {}, el("legend", {}, el("span", { class: "number", text: number }), title, citation), condition(words.items[item.id]));
    if (item.citations && item.citations.length) fieldset.append(citedView(item.citations));
    fieldset.append(...helps);
    if (answer.type === "list") fieldset.append(listView(item));
    else if (answer.type === "grid") fieldset.append(gridView(item));
    else if (answer.type === "table") fieldset.append(tableView(item));
    else {
      const input = control(item.id, answer, get, set, item.label);
      if (["text", "number", "date", "country"].includes(answer.type)) {
        // The question is the input's label (a country's list's).
        const labelled = answer.type === "country" ? input.querySelector("select") : input;
        const legend = fieldset.querySelector("legend");
        legend.id = `${labelled.id}-legend`;
        labelled.setAttribute("aria-labelledby", legend.id);
      }
      fieldset.append(input);
      loaders.push(() => input.load());
    }
    const special = specials(item, get, set);
    if (special) {
      fieldset.append(special);
      loaders.push(() => special.load());
    }
    wrap.append(fieldset, problems);
    for (const child of item.items || []) wrap.append(itemView(child));
    return wrap;
  }

  function listView(item) {
    const answer = item.answer;
    const box = el("div", { class: "records" });
    const records = el("div");
    const add = el("button", {
      type: "button",
      class: "add",
      text: ui("add"),
      onclick: () => {
        const list = Array.isArray(answers[item.id]) ? answers[item.id] : [];
        list.push({});
        answers[item.id] = list;
        draw();
        changed();
      },
    });
    const draw = () => {
      records.replaceChildren();
      const list = Array.isArray(answers[item.id]) ? answers[item.id] : [];
      list.forEach((record, index) => {
        const fieldset = el("fieldset", { class: "record" }, el("legend", { text: `${ui("record")} ${index + 1}` }));
        for (const field of answer.fields) {
          const label = textNode("span", `${item.id}.${field.id}.label`, field.label);
          const row = el("div", { class: "field", "data-field": field.id });
          if (field.calculation !== undefined) {
            if (!field.shown) row.hidden = true;
            row.append(label, el("span", { text: ": " }), el("output", { class: "computed" }));
          } else {
            const get = () => (answers[item.id][index] || {})[field.id];
            const set = (value) => {
              const target = answers[item.id][index];
              if (present(value) && value !== "") target[field.id] = value;
              else delete target[field.id];
              changed();
            };
            const input = control(`${item.id}.${field.id}`, field.answer, get, set, field.label);
            const caption = el("div", { class: "field-label" }, label);
            if (input.id) caption.replaceChildren(el("label", { for: input.id }, label));
            row.append(caption, input);
            input.load && input.load();
          }
          fieldset.append(row);
        }
        fieldset.append(
          el("button", {
            type: "button",
            class: "remove",
            text: ui("remove"),
            onclick: () => {
              answers[item.id].splice(index, 1);
              if (!answers[item.id].length) delete answers[item.id];
              draw();
              changed();
            },
          }),
          el("ul", { class: "problems", "aria-live": "polite" }),
        );
        records.append(fieldset);
      });
    };
    loaders.push(draw);
    views[`${item.id}#records`] = records;
    box.append(records, add, blankRecord(item));
    return box;
  }

  // A record to fill in on paper: the fields' labels, each with its condition, and a line.
  function blankRecord(item) {
    const conditions = words.fields[item.id] || {};
    const fieldset = el("fieldset", { class: "record blank", "aria-hidden": "true" }, el("legend", { text: `${ui("record")} …` }));
    for (const field of item.answer.fields) {
      if (field.calculation !== undefined) continue;
      const answer = field.answer;
      const space =
        answer.type === "choice"
          ? el("span", { class: "boxes" }, ...optionsOf(`${item.id}.${field.id}`, answer).map((o) => el("span", { class: "box-option" }, el("span", { class: "box" }), document.createTextNode(o.label))))
          : el("span", { class: "line" });
      fieldset.append(el("div", { class: "field" }, textNode("span", `${item.id}.${field.id}.label`, field.label), condition(conditions[field.id]), space));
    }
    return fieldset;
  }

  // A grid's or a table's element, with the header of its columns.
  function columnsTable(item, kind) {
    const head = el("tr", {}, el("td"));
    const conditions = words.columns[item.id] || {};
    for (const column of item.answer.columns) {
      const th = el("th", { scope: "col" }, textNode("span", `${item.id}.column.${column.id}`, column.label), condition(conditions[column.id]));
      head.append(th);
    }
    return el("table", { class: kind }, el("thead", {}, head));
  }

  function gridView(item) {
    const answer = item.answer;
    const table = columnsTable(item, "grid");
    const body = el("tbody");
    for (const row of answer.rows) {
      const label = el("th", { scope: "row" }, el("span", { class: "marker", text: `${row.marker || ""} ` }), textNode("span", `${item.id}.row.${row.id}`, row.label));
      const tr = el("tr", { "data-row": row.id }, label);
      const get = () => (answers[item.id] || {})[row.id];
      const set = (value) => {
        const rows = answers[item.id] && typeof answers[item.id] === "object" ? answers[item.id] : {};
        if (present(value) && value !== "" && !(Array.isArray(value) && !value.length)) rows[row.id] = value;
        else delete rows[row.id];
        setAnswer(item.id, Object.keys(rows).length ? rows : null);
      };
      if (row.answer) {
        const input = control(`${item.id}-${row.id}`, row.answer, get, set, row.label);
        input.setAttribute && input.setAttribute("aria-label", row.label);
        tr.append(el("td", { colspan: answer.columns.length }, input));
        loaders.push(() => input.load());
      } else {
        for (const column of answer.columns) {
          const box = el("input", {
            type: "checkbox",
            "data-column": column.id,
            "aria-label": `${row.label}: ${column.label}`,
            onchange: () => {
              const ticked = [...tr.querySelectorAll("input:checked")].map((i) => i.dataset.column);
              set(ticked.length ? ticked : null);
            },
          });
          tr.append(el("td", {}, box));
        }
        loaders.push(() => {
          const value = get();
          tr.querySelectorAll("input[data-column]").forEach((i) => (i.checked = Array.isArray(value) && value.includes(i.dataset.column)));
        });
      }
      body.append(tr);
    }
    table.append(body);
    return table;
  }

  // The special answers a table's cell may take ("Not available"), chosen in place of a figure.
  function cellSpecials(item, label, get, set) {
    if (!item.specials || !item.specials.length) return null;
    const select = el("select", { class: "cell-special", "aria-label": `${label} (${ui("special")})` }, el("option", { value: "", text: "—" }));
    for (const code of item.specials) {
      const special = (form.specials || []).find((s) => s.code === code) || { code, label: code };
      select.append(el("option", { value: code, text: text(`special.${code}`, special.label) }));
    }
    const figure = () => select.parentNode && select.parentNode.querySelector("input");
    select.addEventListener("change", () => {
      if (figure()) figure().value = "";
      set(select.value ? { special: select.value } : null);
      select.load();
    });
    select.load = () => {
      const v = get();
      select.value = v && typeof v === "object" && typeof v.special === "string" ? v.special : "";
      const input = figure();
      if (input) input.disabled = select.value !== "";
    };
    return select;
  }

  // The totals of a table that its other cells give, as `qc validate` checks them (V0117):
  // each cell of a total row (column) is the sum of the column's (row's) other cells, when
  // they are all numbers.
  function totals(item, value) {
    const answer = item.answer;
    const rows = value && typeof value === "object" ? value : {};
    const cell = (row, column) => {
      const v = (rows[row] || {})[column];
      const n = v && typeof v === "object" ? v.value : v;
      return typeof n === "number" && Number.isFinite(n) ? n : null;
    };
    const out = [];
    for (const [lines, across, byRow] of [[answer.rows, answer.columns, true], [answer.columns, answer.rows, false]]) {
      const total = lines.find((line) => line.total);
      if (!total) continue;
      for (const other of across) {
        const at = (line) => (byRow ? cell(line, other.id) : cell(other.id, line));
        const parts = lines.filter((line) => !line.total).map((line) => at(line.id));
        if (parts.some((part) => part === null)) continue;
        const sum = parts.reduce((a, b) => a + b, 0);
        const [row, column] = byRow ? [total.id, other.id] : [other.id, total.id];
        out.push({ row, column, sum, stated: at(total.id) });
      }
    }
    return out;
  }
  const sameNumber = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);

  function tableView(item) {
    const answer = item.answer;
    const table = columnsTable(item, "figures");
    const body = el("tbody");
    for (const row of answer.rows) {
      const tr = el("tr", {}, textNode("th", `${item.id}.row.${row.id}`, row.label, { scope: "row" }));
      for (const column of answer.columns) {
        const get = () => ((answers[item.id] || {})[row.id] || {})[column.id];
        const set = (value) => {
          const rows = answers[item.id] && typeof answers[item.id] === "object" ? answers[item.id] : {};
          const cells = rows[row.id] || {};
          if (present(value)) cells[column.id] = value;
          else delete cells[column.id];
          if (Object.keys(cells).length) rows[row.id] = cells;
          else delete rows[row.id];
          setAnswer(item.id, Object.keys(rows).length ? rows : null);
        };
        const input = control(`${item.id}-${row.id}-${column.id}`, answer.cell, get, set, `${row.label}: ${column.label}`);
        input.setAttribute("aria-label", `${row.label}: ${column.label}`);
        const special = cellSpecials(item, `${row.label}: ${column.label}`, get, set);
        tr.append(el("td", { "data-row": row.id, "data-column": column.id, class: row.total || column.total ? "total" : null }, input, special));
        loaders.push(() => {
          input.load();
          if (special) special.load();
        });
      }
      body.append(tr);
    }
    table.append(body);
    return table;
  }

  // Paragraphs of a reference document, quoted: `cited` is `[{number, subparagraphs?}]`, with
  // only those letters where given (after the paragraph's lead-in text).
  function quoted(documentId, cited) {
    const document_ = (form.documents || []).find((d) => d.id === documentId);
    const quote = el("blockquote", { class: "excerpt" });
    for (const { number, subparagraphs } of cited) {
      const paragraph = document_ && document_.paragraphs.find((p) => p.number === number);
      if (!paragraph) continue;
      const key = `document.${document_.id}.${paragraph.number}`;
      if (paragraph.heading) quote.append(textNode("p", `${key}.heading`, paragraph.heading, { class: "paragraph-heading" }));
      quote.append(textNode("p", key, `${paragraph.number}. ${paragraph.text || ""}`));
      for (const sub of paragraph.subparagraphs || []) {
        if (subparagraphs && !subparagraphs.includes(sub.letter)) continue;
        quote.append(textNode("p", `${key}.${sub.letter}`, `(${sub.letter}) ${sub.text}`, { class: "subparagraph" }));
      }
    }
    return quote;
  }

  // An item's citations, whose paragraphs the respondent opens on demand.
  function citedView(citations) {
    const byDocument = new Map();
    for (const { document: documentId, paragraph, subparagraph } of citations) {
      const paragraphs = byDocument.get(documentId) || new Map();
      const letters = paragraphs.get(paragraph);
      if (!paragraphs.has(paragraph)) paragraphs.set(paragraph, subparagraph ? [subparagraph] : null);
      else if (letters && subparagraph) letters.push(subparagraph);
      else paragraphs.set(paragraph, null);
      byDocument.set(documentId, paragraphs);
    }
    const details = el("details", { class: "cited" }, el("summary", { text: ui("cited") }));
    for (const [documentId, paragraphs] of byDocument) {
      const cited = [...paragraphs].map(([number, subparagraphs]) => ({ number, subparagraphs: subparagraphs || undefined }));
      details.append(quoted(documentId, cited));
    }
    return details;
  }

  function blockView(block, key) {
    if (block.type === "heading") return textNode("h3", key, block.text);
    if (block.type === "text") return textNode("p", key, block.text);
    if (block.type === "excerpt") return quoted(block.document, block.paragraphs);
    return null;
  }

  // The page: header, tools, the introduction and the sections.
  const root = document.getElementById("qc");
  const summary = el("ul", { class: "summary", "aria-live": "polite" });
  function render() {
    loaders.length = 0;
    for (const key of Object.keys(views)) delete views[key];
    const language = languages.find((l) => l.code === lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = (language && language.direction) || "ltr";
    document.title = text("title", form.instrument.title);
    const tools = el("nav", { class: "tools" });
    if (languages.length > 1) {
      const select = el("select", { id: "qc-language", onchange: () => ((lang = select.value), render()) });
      for (const l of languages) select.append(el("option", { value: l.code, text: l.code, selected: l.code === lang }));
      tools.append(el("label", { for: "qc-language", text: ui("language") }), select);
    }
    const open = el("input", { type: "file", accept: ".json,application/json", id: "qc-open", hidden: true });
    open.addEventListener("change", () => {
      const file = open.files && open.files[0];
      if (!file) return;
      file.text().then((body) => {
        try {
          load(JSON.parse(body));
        } catch (error) {
          summary.replaceChildren(el("li", { class: "error", text: `${ui("unreadable")}: ${error.message}` }));
        }
      });
    });
    tools.append(
      el("button", { type: "button", id: "qc-check", text: ui("check"), onclick: check }),
      el("button", { type: "button", id: "qc-save", text: ui("save"), onclick: save }),
      el("button", { type: "button", id: "qc-open-button", text: ui("open"), onclick: () => open.click() }),
      open,
      el("button", { type: "button", id: "qc-print", text: ui("print"), onclick: () => window.print() }),
    );
    const page = el("div", { class: "page" });
    page.append(el("header", {}, textNode("h1", "title", form.instrument.title), form.instrument.resolution ? textNode("p", "resolution", form.instrument.resolution, { class: "resolution" }) : null));
    page.append(tools, summary);
    let n = 0;
    for (const block of form.introduction || []) {
      const counted = block.type === "text" || block.type === "heading";
      if (counted) n++;
      const view = blockView(block, counted ? `introduction.${n}` : null);
      if (view) page.append(view);
    }
    for (const section of form.sections) {
      const view = el("section", { class: section.respondent ? "section respondent" : "section", id: `section-${section.id}` });
      view.append(textNode("h2", `section.${section.id}.title`, section.number ? `${section.number}. ${section.title}` : section.title));
      let m = 0;
      for (const block of section.content) {
        if (block.type === "item") {
          view.append(itemView(block));
          continue;
        }
        const counted = block.type === "text" || block.type === "heading";
        if (counted) m++;
        const shown_ = blockView(block, counted ? `section.${section.id}.${m}` : null);
        if (shown_) view.append(shown_);
      }
      view.append(el("ul", { class: "problems section-problems", "data-section": section.id, "aria-live": "polite" }));
      page.append(view);
    }
    root.replaceChildren(page);
    for (const loadOne of loaders) loadOne();
    state = evaluate();
    update();
  }

  // Shows what is asked, the computed values, the piped texts and the broken rules.
  function update() {
    const { asked, data } = state;
    for (const { item } of items) {
      const view = views[item.id];
      if (!view) continue;
      view.wrap.hidden = !asked[item.id] || (item.kind === "calc" && !item.shown);
      view.wrap.toggleAttribute("data-asked", !!asked[item.id]);
      if (view.output) view.output.textContent = present(data[item.id]) ? shown(item, data[item.id]) : "—";
      if (view.problems) {
        view.problems.replaceChildren(...itemProblems(item, data, asked).map((p) => el("li", { class: p.severity, text: p.message })));
      }
      const records = views[`${item.id}#records`];
      if (records && Array.isArray(data[item.id])) {
        [...records.children].forEach((fieldset, index) => {
          const record = data[item.id][index] || {};
          const scope = { ...data, this: record };
          for (const field of item.answer.fields) {
            const row = fieldset.querySelector(`[data-field="${CSS.escape(field.id)}"]`);
            if (!row) continue;
            if (field.calculation !== undefined) {
              const output = row.querySelector("output");
              if (output) output.textContent = present(record[field.id]) ? shown(null, record[field.id]) : "—";
            } else row.hidden = !holds(field.condition, scope);
          }
          const problems = fieldset.querySelector(":scope > .problems");
          const broken = (item.answer.constraints || []).filter((c) => !holds(c.rule, scope));
          problems.replaceChildren(...broken.map((c, i) => el("li", { class: c.severity, text: piped(text(`${item.id}.record.check.${i + 1}`, c.message), data) })));
        });
      }
      if (item.answer && item.answer.type === "table") showTotals(item, view);
      if (item.answer && item.answer.type === "grid") {
        for (const column of item.answer.columns) {
          const open = holds(column.condition, data);
          view.wrap.querySelectorAll(`input[data-column="${CSS.escape(column.id)}"]`).forEach((i) => (i.disabled = !open));
        }
      }
    }
    for (const node of root.querySelectorAll("[data-text]")) node.textContent = piped(node.dataset.text, data);
    for (const section of form.sections) {
      const list = root.querySelector(`.section-problems[data-section="${CSS.escape(section.id)}"]`);
      if (!list) continue;
      const broken = (section.constraints || []).filter((c) => !holds(c.rule, data));
      list.replaceChildren(...broken.map((c, i) => el("li", { class: c.severity, text: piped(text(`section.${section.id}.check.${i + 1}`, c.message), data) })));
    }
  }

  function itemProblems(item, data, asked) {
    if (!asked[item.id]) return [];
    const broken = (item.constraints || [])
      .map((c, i) => ({ ...c, index: i + 1 }))
      .filter((c) => !holds(c.rule, data))
      .map((c) => ({ severity: c.severity, message: piped(text(`${item.id}.check.${c.index}`, c.message), data) }));
    if (item.answer && item.answer.type === "table") {
      for (const total of totals(item, answers[item.id])) {
        if (total.stated === null || sameNumber(total.sum, total.stated)) continue;
        broken.push({ severity: "error", message: fill(ui("total"), headingLabel(item, "row", total.row), headingLabel(item, "column", total.column), total.stated, total.sum) });
      }
    }
    return broken;
  }
  function headingLabel(item, kind, id) {
    const heading = item.answer[`${kind}s`].find((h) => h.id === id);
    return heading ? text(`${item.id}.${kind}.${id}`, heading.label) : id;
  }

  // A table's total cells: the sum of the cells they total shown in each, and a total that
  // differs from it marked.
  function showTotals(item, view) {
    const found = totals(item, answers[item.id]);
    for (const td of view.wrap.querySelectorAll("td.total")) {
      const input = td.querySelector("input");
      const total = found.find((t) => t.row === td.dataset.row && t.column === td.dataset.column);
      if (!input) continue;
      input.placeholder = total ? String(total.sum) : "";
      const wrong = !!(total && total.stated !== null && !sameNumber(total.sum, total.stated));
      input.toggleAttribute("aria-invalid", wrong);
      if (wrong) input.setAttribute("aria-invalid", "true");
    }
  }

  // "Check": every broken rule and every required item left unanswered, linked to its item.
  function check() {
    state = evaluate();
    update();
    const { asked, data } = state;
    const found = [];
    for (const { item } of items) {
      if (!asked[item.id]) continue;
      for (const problem of itemProblems(item, data, asked)) found.push({ ...problem, item });
      if (item.required && item.answer && !present(answers[item.id])) found.push({ severity: "error", message: ui("required"), item });
    }
    const entries = found.map((p) => {
      const label = `${p.item.number || p.item.id}: ${p.message}`;
      return el("li", { class: p.severity }, el("a", { href: `#item-${p.item.id}`, text: label }));
    });
    summary.replaceChildren(...(entries.length ? entries : [el("li", { class: "ok", text: ui("valid") })]));
    return found.map((p) => ({ item: p.item.id, severity: p.severity, message: p.message }));
  }

  function save() {
    const body = JSON.stringify(reply(), null, 2);
    const link = el("a", { href: URL.createObjectURL(new Blob([body], { type: "application/json" })), download: `${form.instrument.id}-reply.json` });
    document.body.append(link);
    link.click();
    link.remove();
  }

  // Loads a reply (to continue or to review): its answers replace the page's.
  function load(value) {
    if (!value || typeof value !== "object" || Array.isArray(value) || !value.answers || typeof value.answers !== "object") {
      throw new Error(ui("notareply"));
    }
    if (typeof value.form === "string" && value.form !== form.instrument.id) throw new Error(ui("otherform"));
    answers = clone(value.answers);
    for (const loadOne of loaders) loadOne();
    changed();
    return reply();
  }

  window.qc = {
    form,
    reply,
    load,
    check,
    asked: () => ({ ...evaluate().asked }),
    values: () => {
      const { data } = evaluate();
      return Object.fromEntries((form.calculation_order || []).map((id) => [id, data[id]]));
    },
  };
  try {
    const kept = localStorage.getItem(store);
    if (kept) answers = JSON.parse(kept) || {};
  } catch (_) {
    answers = {};
  }
  render();
})();
