// The review page's script: shows the document's text with its flows, records what the reviewer
// decides (accept, reject, correct, add) and saves it as a corrections file (docs/corrections.md)
// by downloading it. Every text shown comes from the JSON block and is set with textContent.
// Offsets are in code points, as in flow records; JavaScript strings count UTF-16 units, so
// lengths and slices go through cpLength / cpSlice.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var flows = data.flows || [];
  var decisions = {};
  Object.keys(data.decisions || {}).forEach(function (k) { decisions[k] = data.decisions[k]; });
  var added = (data.added || []).slice();
  var carried = data.carried || [];
  var state = { layoutMs: null, current: null, selection: null, form: null };
  var chunks = [];

  function $(id) { return document.getElementById(id); }
  function element(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  }
  function button(text, onClick, cls) {
    var b = element("button", cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function cpLength(s) {
    var n = s.length;
    for (var i = 1; i < s.length; i++) {
      var c = s.charCodeAt(i), p = s.charCodeAt(i - 1);
      if (c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff) n--;
    }
    return n;
  }
  function cpSlice(s, a, b) { return Array.from(s).slice(a, b).join(""); }
  function now() { return new Date().toISOString(); }
  function message(text) { $("cg-message").textContent = text; }

  // --- places and markets ---------------------------------------------------------------------
  var codes = {};
  var names = {};
  (data.places || []).forEach(function (p) {
    codes[p.code] = p.name;
    names[p.name.toLowerCase()] = p.code;
    var option = element("option", null, p.name);
    option.value = p.code;
    $("cg-places").appendChild(option);
  });
  var marketLabels = {};
  (data.markets || []).forEach(function (m) {
    marketLabels[m.slug] = m.label;
    var option = element("option", null, m.label + " (" + m.slug + ")");
    option.value = m.slug;
    $("cg-market").appendChild(option);
  });

  function placeCode(word) {
    if (codes[word] !== undefined) return word;
    if (codes[word.toUpperCase()] !== undefined) return word.toUpperCase();
    if (codes[word.toLowerCase()] !== undefined) return word.toLowerCase();
    var byName = names[word.toLowerCase()];
    if (byName !== undefined) return byName;
    throw new Error("unknown place \u201c" + word + "\u201d: give an ISO3 code, a region slug or a name");
  }
  function parsePlaces(text, alternatives) {
    var out = [];
    text.split(",").forEach(function (part) {
      var words = part.split("|").map(function (w) { return w.trim(); }).filter(Boolean);
      if (!words.length) return;
      if (words.length > 1 && !alternatives) throw new Error("alternatives (|) belong to transit stages only");
      var stage = words.map(placeCode);
      out.push(stage.length === 1 ? stage[0] : stage);
    });
    return out;
  }
  function placesText(list) {
    return (list || []).map(function (s) { return Array.isArray(s) ? s.join("|") : s; }).join(", ");
  }
  // "from AFG via TJK|KGZ → KAZ to RUS", as the command line writes a flow.
  function chainOf(f) {
    var parts = [];
    if ((f.origin || []).length) parts.push("from " + f.origin.join(", "));
    if ((f.transit || []).length) {
      parts.push("via " + f.transit.map(function (s) { return Array.isArray(s) ? s.join("|") : s; }).join(" \u2192 "));
    }
    if ((f.destination || []).length) parts.push("to " + f.destination.join(", "));
    return parts.length ? parts.join(" ") : "(no places)";
  }
  function target(f) {
    return { market: f.market, commodity: f.commodity, origin: f.origin, transit: f.transit, destination: f.destination };
  }
  // A flow as the reviewer leaves it: the read flow with an edit's fields over it.
  function shown(i) {
    var f = target(flows[i]);
    var d = decisions[i];
    if (d && d.action === "edit") Object.keys(d.flow).forEach(function (k) { f[k] = d.flow[k]; });
    return f;
  }
  function same(a, b) { return JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b); }

  // --- the text ----------------------------------------------------------------------------------
  var textBox = $("cg-text");
  var total = 0;
  data.chunks.forEach(function (c) {
    var on = c[2], onAdded = c[3];
    var node = element(on.length || onAdded.length ? "mark" : "span", on.length ? "cg-flow" : onAdded.length ? "cg-added-only" : null, c[1]);
    node.dataset.start = String(c[0]);
    var chunk = { el: node, start: c[0], words: c[1], length: cpLength(c[1]), flows: on, added: onAdded };
    if (on.length) {
      node.title = on.map(function (i) { return flows[i].market + ": " + flows[i].chain; }).join("\n");
      var pick = function () {
        var next = on.indexOf(state.current) + 1;
        select(on[next % on.length], false);
      };
      node.tabIndex = 0;
      node.addEventListener("click", pick);
      node.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(); }
      });
    }
    chunks.push(chunk);
    textBox.appendChild(node);
    total = c[0] + chunk.length;
  });

  function quoteOf(start, end) {
    var out = "";
    chunks.forEach(function (c) {
      var a = Math.max(start, c.start), b = Math.min(end, c.start + c.length);
      if (a < b) out += cpSlice(c.words, a - c.start, b - c.start);
    });
    return out;
  }
  function offsetOf(container, offset) {
    if (container.nodeType === 3) {
      var holder = container.parentElement;
      if (!holder || holder.dataset.start === undefined) return null;
      return Number(holder.dataset.start) + cpLength(container.textContent.slice(0, offset));
    }
    if (container === textBox) {
      if (offset >= textBox.childNodes.length) return total;
      return Number(textBox.childNodes[offset].dataset.start);
    }
    if (container.dataset && container.dataset.start !== undefined) {
      return Number(container.dataset.start) + (offset === 0 ? 0 : cpLength(container.textContent));
    }
    return null;
  }
  // The span the reader selected in the text, without the spaces at its ends, or null.
  function selectedSpan() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!textBox.contains(range.commonAncestorContainer)) return null;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    var quote = quoteOf(start, end);
    var lead = cpLength(quote) - cpLength(quote.replace(/^\s+/, ""));
    var trail = cpLength(quote) - cpLength(quote.replace(/\s+$/, ""));
    if (lead + trail >= end - start) return null;
    start += lead;
    end -= trail;
    return { span: [start, end], quote: quoteOf(start, end) };
  }
  document.addEventListener("selectionchange", function () {
    state.selection = selectedSpan();
    $("cg-add").disabled = state.selection === null;
  });

  // --- the cards -------------------------------------------------------------------------------
  function statusOf(i) {
    var d = decisions[i];
    if (!d) return "read";
    return { accept: "accepted", reject: "rejected", edit: "corrected" }[d.action];
  }
  function decide(i, action, fields) {
    var f = flows[i];
    var entry = { action: action, span: f.span, quote: f.evidence, target: target(f), time: now() };
    if (fields) entry.flow = fields;
    decisions[i] = entry;
    refresh();
  }
  function flowCard(i) {
    var f = flows[i];
    var status = statusOf(i);
    var li = element("li", "cg-card" + (status === "rejected" ? " cg-rejected" : "") + (state.current === i ? " cg-current" : ""));
    li.id = "cg-flow-" + i;
    li.dataset.index = String(i);
    li.dataset.status = status;
    li.appendChild(element("span", "cg-status cg-status-" + status, status));
    var left = shown(i);
    li.appendChild(element("div", "cg-chain", (i + 1) + ". " + chainOf(left)));
    li.appendChild(element("div", "cg-market", (marketLabels[left.market] || left.market) + (left.commodity ? " \u2014 " + left.commodity : "")));
    if (status === "corrected") li.appendChild(element("div", "cg-note", "read as: " + f.market + " " + f.chain));
    var evidence = element("div", "cg-evidence", f.evidence + (f.hedge ? " [" + f.hedge + "]" : ""));
    evidence.addEventListener("click", function () { select(i, true); });
    li.appendChild(evidence);
    var row = element("div", "cg-buttons");
    row.appendChild(button("Accept", function () { decide(i, "accept"); }, "cg-accept"));
    row.appendChild(button("Reject", function () { decide(i, "reject"); }, "cg-reject"));
    row.appendChild(button("Correct\u2026", function () { openForm({ mode: "edit", index: i }); }, "cg-edit"));
    if (decisions[i]) row.appendChild(button("Undo", function () { delete decisions[i]; refresh(); }, "cg-undo"));
    li.appendChild(row);
    return li;
  }
  function addedCard(a, k) {
    var li = element("li", "cg-card");
    li.dataset.added = String(k);
    li.appendChild(element("span", "cg-status cg-status-added", "added"));
    li.appendChild(element("div", "cg-chain", chainOf(a.flow)));
    li.appendChild(element("div", "cg-market", (marketLabels[a.flow.market] || a.flow.market) + (a.flow.commodity ? " \u2014 " + a.flow.commodity : "")));
    li.appendChild(element("div", "cg-evidence", a.quote));
    var row = element("div", "cg-buttons");
    row.appendChild(button("Remove", function () { added.splice(k, 1); refresh(); }, "cg-remove"));
    li.appendChild(row);
    return li;
  }
  function refresh() {
    var list = $("cg-flows");
    list.textContent = "";
    flows.forEach(function (_, i) { list.appendChild(flowCard(i)); });
    if (!flows.length) list.appendChild(element("li", "cg-note", "The extractor read no flow in this document."));
    var extra = $("cg-added");
    extra.textContent = "";
    added.forEach(function (a, k) { extra.appendChild(addedCard(a, k)); });
    if (!added.length) extra.appendChild(element("li", "cg-note", "None yet: select the words that state a missed flow, then \u201cAdd flow from selection\u201d."));
    chunks.forEach(function (c) {
      if (!c.flows.length) return;
      var allRejected = c.flows.every(function (i) { return statusOf(i) === "rejected"; });
      c.el.classList.toggle("cg-all-rejected", allRejected);
      c.el.classList.toggle("cg-current", c.flows.indexOf(state.current) >= 0);
      c.el.classList.toggle("cg-has-added", c.added.length > 0);
    });
    var counts = { read: 0, accepted: 0, rejected: 0, corrected: 0 };
    flows.forEach(function (_, i) { counts[statusOf(i)]++; });
    $("cg-stats").textContent = flows.length + " flows read: " + counts.accepted + " accepted, " + counts.rejected +
      " rejected, " + counts.corrected + " corrected, " + counts.read + " not reviewed; " + added.length + " added";
  }
  function select(i, scrollText) {
    state.current = i;
    refresh();
    var card = $("cg-flow-" + i);
    if (card) card.scrollIntoView({ block: "nearest" });
    if (scrollText) {
      var first = chunks.filter(function (c) { return c.flows.indexOf(i) >= 0; })[0];
      if (first) first.el.scrollIntoView({ block: "center" });
    }
  }

  // --- the form: correct a flow, or add one ----------------------------------------------------
  function openForm(form) {
    state.form = form;
    var f = form.mode === "edit" ? shown(form.index) : { market: "drug-trade", commodity: "", origin: [], transit: [], destination: [] };
    $("cg-form-title").textContent = form.mode === "edit" ? "Correct flow " + (form.index + 1) : "Add a flow";
    $("cg-form-quote").textContent = form.mode === "edit" ? flows[form.index].evidence : form.quote;
    $("cg-market").value = f.market;
    $("cg-commodity").value = f.commodity || "";
    $("cg-origin").value = placesText(f.origin);
    $("cg-transit").value = placesText(f.transit);
    $("cg-destination").value = placesText(f.destination);
    $("cg-form-error").textContent = "";
    $("cg-form").hidden = false;
    $("cg-form").scrollIntoView({ block: "nearest" });
    $("cg-market").focus();
  }
  function closeForm() {
    state.form = null;
    $("cg-form").hidden = true;
  }
  function formFields() {
    return {
      market: $("cg-market").value,
      commodity: $("cg-commodity").value.trim(),
      origin: parsePlaces($("cg-origin").value, false),
      transit: parsePlaces($("cg-transit").value, true),
      destination: parsePlaces($("cg-destination").value, false)
    };
  }
  $("cg-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = state.form;
    var fields;
    try {
      fields = formFields();
    } catch (err) {
      $("cg-form-error").textContent = err.message;
      return;
    }
    if (!fields.origin.length && !fields.transit.length && !fields.destination.length) {
      $("cg-form-error").textContent = "name at least one place";
      return;
    }
    if (form.mode === "edit") {
      var read = target(flows[form.index]);
      var changed = {};
      Object.keys(fields).forEach(function (k) { if (!same(fields[k], read[k])) changed[k] = fields[k]; });
      if (!Object.keys(changed).length) decide(form.index, "accept");
      else decide(form.index, "edit", changed);
      message("Flow " + (form.index + 1) + (Object.keys(changed).length ? " corrected." : " unchanged: accepted."));
    } else {
      var flow = { market: fields.market };
      ["commodity", "origin", "transit", "destination"].forEach(function (k) {
        if (fields[k].length) flow[k] = fields[k];
      });
      added.push({ action: "add", span: form.span, quote: form.quote, flow: flow, time: now() });
      message("Flow added on \u201c" + form.quote.slice(0, 40) + "\u2026\u201d.");
      refresh();
    }
    closeForm();
  });
  $("cg-form-cancel").addEventListener("click", closeForm);
  $("cg-accept-rest").addEventListener("click", function () {
    var n = 0;
    flows.forEach(function (_, i) { if (!decisions[i]) { decide(i, "accept"); n++; } });
    message(n + " flows accepted.");
  });
  $("cg-add").addEventListener("click", function () {
    var picked = state.selection || selectedSpan();
    if (!picked) { message("Select the words that state the flow in the text first."); return; }
    openForm({ mode: "add", span: picked.span, quote: picked.quote });
  });

  // --- saving -------------------------------------------------------------------------------
  function corrections() {
    var reviewer = $("cg-reviewer").value.trim();
    var items = carried.slice();
    flows.forEach(function (_, i) { if (decisions[i]) items.push(decisions[i]); });
    return {
      crimegraph: "corrections",
      version: 1,
      document: data.document,
      text_digest: data.text_digest,
      reviewer: reviewer,
      saved: now(),
      corrections: items.concat(added)
    };
  }
  $("cg-save").addEventListener("click", function () {
    var file = corrections();
    if (!file.reviewer) {
      message("Give your name first: it is recorded as the reviewer.");
      $("cg-reviewer").focus();
      return;
    }
    if (data.save_url) {
      fetch(data.save_url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(file) })
        .then(function (r) {
          return r.text().then(function (text) {
            if (!r.ok) throw new Error(text.trim() || "HTTP " + r.status);
            message("Saved " + file.corrections.length + " corrections to " + JSON.parse(text).saved + ".");
          });
        })
        .catch(function (err) { message("Not saved: " + err.message); });
      return;
    }
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = element("a");
    link.href = URL.createObjectURL(blob);
    link.download = data.download;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    message("Saved " + file.corrections.length + " corrections as " + data.download + ".");
  });

  // --- start ----------------------------------------------------------------------------------
  $("cg-reviewer").value = data.reviewer || "";
  (data.dropped || []).forEach(function (line) { $("cg-dropped").appendChild(element("li", null, line)); });
  carried.forEach(function (c) {
    $("cg-carried").appendChild(element("li", null, c.action + " " + c.target.market + " " + chainOf(c.target) + ": \u201c" + c.quote + "\u201d"));
  });
  $("cg-carried-box").hidden = !carried.length;
  $("cg-dropped-box").hidden = !(data.dropped || []).length;
  refresh();
  window.crimegraph = { state: state, corrections: corrections, decisions: decisions, added: added };
  state.layoutMs = performance.now();
  document.body.setAttribute("data-layout", "done");
})();
