// The query page of `crimegraph serve`: canned queries with their parameters, a query box,
// and the answer as a table or as text. Everything it shows is set as text, never as HTML.
(function () {
  "use strict";
  const page = JSON.parse(document.getElementById("cg-page").textContent);
  const endpoint = new URL(page.endpoint, window.location.href).href;
  const text = document.getElementById("cg-text");
  const status = document.getElementById("cg-status");
  const result = document.getElementById("cg-result");
  document.getElementById("cg-endpoint").textContent = endpoint;

  function el(tag, content) {
    const node = document.createElement(tag);
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function say(message, isError) {
    status.textContent = message;
    status.className = isError ? "cg-error" : "";
  }

  async function load(query, inputs) {
    const params = new URLSearchParams();
    for (const input of inputs) if (input.value.trim()) params.set(input.name, input.value.trim());
    const response = await fetch(page.queries + encodeURIComponent(query.name) + "?" + params);
    const body = await response.text();
    if (!response.ok) { say(body, true); return false; }
    text.value = body;
    say("");
    return true;
  }

  for (const query of page.canned) {
    const box = el("section");
    box.className = "cg-query";
    box.append(el("h3", query.name), el("p", query.summary));
    const inputs = [];
    for (const p of query.parameters) {
      const label = el("label", p.name + " (" + p.kind + ") ");
      label.title = p.description;
      const input = el("input");
      input.name = p.name;
      input.placeholder = p.default === "*" ? "any" : p.default;
      label.append(input);
      box.append(label);
      inputs.push(input);
    }
    const show = el("button", "show");
    show.type = "button";
    show.addEventListener("click", () => load(query, inputs));
    const run = el("button", "run");
    run.type = "button";
    run.addEventListener("click", async () => { if (await load(query, inputs)) execute(); });
    box.append(show, document.createTextNode(" "), run);
    document.getElementById("cg-queries").append(box);
  }

  // An IRI in a crimegraph namespace is shown as prefix:name.
  const namespaces = Object.entries(page.prefixes).sort((a, b) => b[1].length - a[1].length);
  function shorten(value) {
    for (const [prefix, iri] of namespaces) {
      if (value.startsWith(iri)) return prefix + ":" + value.slice(iri.length);
    }
    return value;
  }

  function table(data) {
    if (data.boolean !== undefined) return el("p", "answer: " + data.boolean);
    const t = el("table");
    const head = el("tr");
    for (const v of data.head.vars) head.append(el("th", v));
    t.append(head);
    for (const row of data.results.bindings) {
      const tr = el("tr");
      for (const v of data.head.vars) {
        const cell = row[v];
        tr.append(el("td", !cell ? "" : cell.type === "uri" ? shorten(cell.value) : cell.value));
      }
      t.append(tr);
    }
    return t;
  }

  async function execute() {
    const format = document.getElementById("cg-format").value;
    const accept = format === "table" ? "application/sparql-results+json, text/turtle;q=0.9" : "*/*";
    const body = new URLSearchParams({ query: text.value });
    if (format !== "table") body.set("format", format);
    say("running…");
    result.replaceChildren();
    const started = performance.now();
    const response = await fetch(page.endpoint, { method: "POST", body, headers: { Accept: accept } });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) { say(response.status + ": " + (await response.text()), true); return; }
    const cut = response.headers.get("X-Row-Limit") ? " (cut at the row limit)" : "";
    if (format === "table" && response.headers.get("Content-Type").includes("json")) {
      const data = await response.json();
      const n = data.results ? data.results.bindings.length + " rows" : "done";
      say(n + " in " + seconds + " s" + cut);
      result.append(table(data));
    } else {
      say("answered in " + seconds + " s" + cut);
      result.append(el("pre", await response.text()));
    }
  }

  document.getElementById("cg-form").addEventListener("submit", (event) => {
    event.preventDefault();
    execute();
  });
  if (page.canned.length) load(page.canned[0], []);
})();
