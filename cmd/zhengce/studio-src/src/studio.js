// The drafter's workbench: CodeMirror 6 with the zhengce lexer's tokens for
// highlighting, the checker's diagnostics, completion of declared names,
// the document beside the rules, tests on each change, and a trial form.
// Built by build.sh into ../studio/studio.js (committed: the intranet has
// no CDN and CI no npm).
import { EditorState, StateField, StateEffect, RangeSetBuilder } from "@codemirror/state";
import { EditorView, keymap, Decoration, lineNumbers, highlightActiveLine } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { autocompletion } from "@codemirror/autocomplete";

const $ = (id) => document.getElementById(id);
// the page's words in the reader's language, from the server's catalogue
const words = JSON.parse($("ui").textContent);
const say = (key, ...args) => words[key].replace(/\{(\d)\}/g, (_, i) => args[i]);
let names = [];
let rules = [];
let inputs = [];
// the policy's files: the editor holds one; each keeps its own state (text,
// undo history, selection) while another is shown
let fileNames = [];
let current = "";
const states = {};
const saved = {};
const textOf = (name) => (name === current ? view.state.doc.toString() : states[name].doc.toString());
const pageFiles = () => fileNames.map((name) => ({ name, source: textOf(name) }));

const setTokens = StateEffect.define();
const tokenField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setTokens)) deco = e.value;
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function tokenDecorations(tokens, length) {
  const b = new RangeSetBuilder();
  for (const t of tokens) {
    if (t.to <= length && t.from < t.to) b.add(t.from, t.to, Decoration.mark({ class: "tok-" + t.kind }));
  }
  return b.finish();
}

function completeNames(context) {
  const word = context.matchBefore(/[\p{L}\p{N}_]+/u);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  return { from: word.from, options: names.map((n) => ({ label: n, type: "variable" })) };
}

// post sends a request; a refusal (its message in plain text) comes back
// as { refused: message }, which each caller shows where its answer goes.
async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return r.ok ? r.json() : { refused: (await r.text()).trim() };
}

let timer = null;
let generation = 0;
async function check(view) {
  const mine = ++generation;
  const res = await post("/api/check", { files: pageFiles(), current });
  if (mine !== generation) return; // a newer text is being checked
  if (res.refused) {
    $("status").textContent = res.refused;
    $("status").className = "bad";
    return;
  }
  names = res.names;
  rules = res.rules || [];
  const len = view.state.doc.length;
  const here = res.diagnostics.filter((d) => d.file === current);
  const diags = here.map((d) => ({ from: Math.min(d.from, len), to: Math.min(Math.max(d.to, d.from), len), severity: d.severity, message: d.message }));
  view.dispatch(setDiagnostics(view.state, diags), { effects: setTokens.of(tokenDecorations(res.tokens, len)) });
  const errors = res.diagnostics.filter((d) => d.severity === "error").length;
  $("status").textContent = errors ? say("status.errors", errors) : say("status.ok");
  $("status").className = errors ? "bad" : "good";
  // what is wrong in the files not in the editor, each a link to its place
  $("elsewhere").replaceChildren(...res.diagnostics.filter((d) => d.file !== current).map((d) => {
    const li = document.createElement("li");
    li.className = d.severity === "error" ? "bad" : "";
    li.textContent = (d.file ? say("at.line", d.file, d.line) : "") + d.message;
    if (d.file) li.addEventListener("click", () => open(d.file, d.from));
    return li;
  }));
  markFiles(res.diagnostics);
  const tests = $("tests");
  tests.replaceChildren(...res.tests.map((t) => {
    const li = document.createElement("li");
    li.className = t.Passed ? "pass" : "fail";
    li.textContent = say(t.Passed ? "test.passed" : "test.failed") + t.Name + (t.Why ? say("because", t.Why) : "") + (fileNames.length > 1 && t.file ? say("in.file", t.file) : "");
    if (t.file) li.addEventListener("click", () => open(t.file, t.from));
    return li;
  }));
  if (res.document) {
    $("document").innerHTML = res.document; // rendered by html/template on the server: escaped
    $("coverage").textContent = say("coverage", res.coverage[0], res.coverage[1]);
  }
  const params = $("estimate-param");
  if (res.params && params.options.length !== res.params.length) {
    params.replaceChildren(...res.params.map((p) => new Option(p, p)));
  }
  if (res.inputs && JSON.stringify(res.inputs) !== JSON.stringify(inputs)) {
    inputs = res.inputs;
    buildForm();
  }
  followCursor(view);
}

function followCursor(view) {
  const at = view.state.selection.main.head;
  const i = rules.findIndex((r) => r.file === current && at >= r.from && at <= r.to);
  document.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
  if (i < 0) return;
  const marks = document.querySelectorAll('mark[data-rule="' + rules[i].mark + '"]');
  marks.forEach((m) => m.classList.add("current"));
  if (marks.length) marks[0].scrollIntoView({ block: "center" });
  $("current-rule").textContent = rules[i].name;
}

function buildForm() {
  const form = $("try-form");
  form.replaceChildren(...inputs.map((inp) => {
    const label = document.createElement("label");
    label.textContent = say("input", inp.name, inp.label);
    const field = document.createElement("input");
    field.name = inp.name;
    if (inp.type === "bool") {
      field.type = "checkbox";
    } else if (inp.type === "date") {
      field.type = "date";
    } else {
      field.placeholder = inp.type === "money" ? say("example.money") : inp.type === "ratio" ? say("example.ratio") : "";
    }
    label.append(field);
    if (inp.enum) {
      // the categories the policy knows, as suggestions: another text may be typed
      const list = document.createElement("datalist");
      list.id = "choices-" + inp.name;
      list.append(...inp.enum.map((v) => new Option(v, v)));
      field.setAttribute("list", list.id);
      label.append(list);
    }
    return label;
  }));
}

async function tryIt() {
  const record = {};
  for (const f of $("try-form").querySelectorAll("input")) {
    record[f.name] = f.type === "checkbox" ? f.checked : f.value;
  }
  const res = await post("/api/try", { files: pageFiles(), record, as_of: $("as-of").value });
  const out = $("try-result");
  out.replaceChildren();
  if (res.refused || (res.error && typeof res.error === "string")) {
    out.textContent = res.refused || res.error;
    return;
  }
  const total = document.createElement("p");
  total.id = "try-total";
  total.textContent = say("try.total", res.total ? yuan(res.total) : "—");
  out.append(total);
  if (res.error) {
    const e = document.createElement("p");
    e.className = "bad";
    e.textContent = res.error.message;
    out.append(e);
  }
  for (const r of res.rules || []) {
    const d = document.createElement("details");
    const s = document.createElement("summary");
    s.textContent = r.applies ? (r.paid ? say("rule.paid", r.name, yuan(r.paid)) : say("rule.applies", r.name)) : say("rule.notApplies", r.name, r.reason);
    d.append(s);
    const steps = document.createElement("ul");
    for (const st of (r.explanation && r.explanation.steps) || []) {
      const li = document.createElement("li");
      li.textContent = st;
      steps.append(li);
    }
    d.append(steps);
    out.append(d);
  }
}

let estimateData = { text: "", format: ".csv" };
$("estimate-file").addEventListener("change", async (e) => {
  const f = e.target.files[0];
  if (!f) return;
  const format = f.name.slice(f.name.lastIndexOf(".")).toLowerCase();
  // a workbook is sent as its bytes in base64; the others as text
  estimateData = { text: format === ".xlsx" ? base64(await f.arrayBuffer()) : await f.text(), format };
  $("estimate-loaded").textContent = say("data.loaded", f.name);
});

// base64 encodes bytes, a chunk at a time (a spread of a whole large file
// would overflow the call stack).
function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// yuan formats an exact amount (a decimal string) for people.
function yuan(s) {
  const [i, f = ""] = s.replace("-", "").split(".");
  const sign = s.startsWith("-") ? "-" : "";
  return sign + i.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + (f + "00").slice(0, 2);
}

async function estimate() {
  const set = {};
  set[$("estimate-param").value] = $("estimate-value").value;
  const res = await post("/api/estimate", { files: pageFiles(), data: estimateData.text, format: estimateData.format, set, as_of: $("as-of").value });
  const out = $("estimate-result");
  out.replaceChildren();
  if (res.refused || res.error) {
    const p = document.createElement("p");
    p.className = "bad";
    p.textContent = res.refused || res.error;
    out.append(p);
    return;
  }
  const c = res.comparison;
  const table = document.createElement("table");
  table.id = "estimate-table";
  const row = (cells, tag = "td") => {
    const tr = document.createElement("tr");
    for (const x of cells) {
      const td = document.createElement(tag);
      td.textContent = x;
      tr.append(td);
    }
    table.append(tr);
  };
  row(["", say("column.base"), say("column.reform"), say("column.change")], "th");
  row([say("total.cost"), yuan(c.total.base), yuan(c.total.reform), yuan(c.total.change)]);
  for (const r of c.rules) row([r.name, yuan(r.base), yuan(r.reform), yuan(r.change)]);
  out.append(table);
  const counts = document.createElement("p");
  counts.id = "estimate-counts";
  counts.textContent = say("counts", c.counts.gain, c.counts.lose, c.counts.new, c.counts.drop, c.counts.same) + (c.failed ? say("counts.failed", c.failed) : "");
  out.append(counts);
  const charts = document.createElement("div");
  charts.innerHTML = res.charts; // rendered by html/template on the server: escaped
  out.append(charts);
  for (const b of res.bad) {
    const p = document.createElement("p");
    p.className = "bad";
    p.textContent = b;
    out.append(p);
  }
}
$("estimate-button").addEventListener("click", estimate);

async function save() {
  const name = current;
  const res = await post("/api/save", { name, source: view.state.doc.toString() });
  if (res.refused) {
    $("status").textContent = res.refused;
    $("status").className = "bad";
    return false;
  }
  saved[name] = res.source;
  if (name === current && res.source !== view.state.doc.toString()) {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: res.source } });
  }
  markFiles();
  $("status").textContent = say("status.saved", name);
  return true;
}

// the file tabs: the one in the editor, the ones changed since saved, and
// the ones with errors
let lastDiagnostics = [];
function markFiles(diagnostics = lastDiagnostics) {
  lastDiagnostics = diagnostics;
  for (const b of $("files").children) {
    const name = b.dataset.file;
    b.classList.toggle("current", name === current);
    b.classList.toggle("modified", textOf(name) !== saved[name]);
    b.classList.toggle("bad", diagnostics.some((d) => d.file === name && d.severity === "error"));
  }
}

// open shows a file in the editor, with the cursor at offset at.
function open(name, at) {
  if (name !== current) {
    states[current] = view.state;
    current = name;
    view.setState(states[name]);
    $("file-name").textContent = name;
    clearTimeout(timer);
    check(view);
  }
  if (at !== undefined) {
    view.dispatch({ selection: { anchor: Math.min(at, view.state.doc.length) }, scrollIntoView: true });
    view.focus();
  }
  markFiles();
}

// a quote in the document opens its rule
$("document").addEventListener("click", (e) => {
  const m = e.target.closest("mark[data-rule]");
  const r = m && rules.find((r) => String(r.mark) === m.dataset.rule);
  if (r) open(r.file, r.from);
});

const extensions = [
  lineNumbers(), highlightActiveLine(), history(), lintGutter(), tokenField,
  autocompletion({ override: [completeNames] }),
  keymap.of([{ key: "Mod-s", run: () => { save(); return true; } }, ...defaultKeymap, ...historyKeymap]),
  EditorView.updateListener.of((u) => {
    if (u.docChanged) {
      clearTimeout(timer);
      timer = setTimeout(() => check(u.view), 250);
      markFiles();
    } else if (u.selectionSet) {
      followCursor(u.view);
    }
  }),
];
const view = new EditorView({ parent: $("editor"), state: EditorState.create({ doc: "", extensions }) });
window.studioView = view; // for the browser tests
window.studioOpen = open;
window.studioSetData = (text, format) => { estimateData = { text, format }; };

$("try-button").addEventListener("click", tryIt);
// Enter in the form tries the record (the page is not reloaded)
$("try-form").addEventListener("submit", (e) => { e.preventDefault(); tryIt(); });
$("save-button").addEventListener("click", save);
fetch("/api/files").then((r) => r.json()).then((p) => {
  fileNames = p.files.map((f) => f.name);
  for (const f of p.files) {
    saved[f.name] = f.source;
    states[f.name] = EditorState.create({ doc: f.source, extensions });
  }
  $("files").replaceChildren(...fileNames.map((name) => {
    const b = document.createElement("button");
    b.textContent = name.replace(/\.zc$/, "");
    b.dataset.file = name;
    b.addEventListener("click", () => open(name));
    return b;
  }));
  $("files").hidden = fileNames.length < 2;
  current = p.current;
  view.setState(states[current]);
  $("file-name").textContent = current;
  check(view);
});
