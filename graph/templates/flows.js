// The page's own script: draws the network, builds the legend and the filters, applies them.
// Every text shown comes from the JSON blocks and is set with textContent, never as HTML.
(function () {
  "use strict";

  function json(id, fallback) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : fallback;
  }
  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  var page = json("cg-page", {});
  var markets = page.markets || [];
  var flows = page.flows || [];
  var nodes = new vis.DataSet(json("cg-nodes", []));
  var edges = new vis.DataSet(json("cg-edges", []));
  var options = json("cg-options", {});
  // Milliseconds since navigation start: when the data was handed to vis-network, and when
  // the layout was done (drawn without physics, or stabilised and frozen).
  var state = { layoutDone: false, dataMs: null, layoutMs: null };
  var flowOn = new Uint8Array(flows.length);

  // --- the network: listeners first, then the data, so no layout event is missed -------------
  var container = document.getElementById("cg-network");
  var network = new vis.Network(container, {}, options);
  // Settled: the first picture at the final view (outlines, arrows, labels) is on the canvas.
  function layoutDone() {
    if (state.layoutDone) return;
    state.layoutDone = true;
    network.once("afterDrawing", function () {
      state.layoutMs = performance.now();
      document.body.setAttribute("data-layout", "done");
    });
    fitMap();
    network.redraw();
  }
  if (options.physics && options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      layoutDone();
    });
  } else {
    network.once("afterDrawing", layoutDone);
  }
  var projection = page.projection;
  var basemap = page.basemap || null;
  var chosenCountry = "";
  if (page.layout === "geo" && projection) {
    network.on("beforeDrawing", function (ctx) {
      if (basemap) drawBasemap(ctx);
      if (projection.focused) distanceRings(ctx, projection);
    });
  }
  if (page.own_labels) network.on("afterDrawing", drawLabels);

  // The world view fits the world's land; every other view fits its nodes.
  function fitMap() {
    var extent = basemap && basemap.extent;
    if (!extent || extent.length !== 4) { network.fit({ animation: false }); return; }
    var box = container.getBoundingClientRect();
    var scale = Math.min(box.width / (extent[2] - extent[0]), box.height / (extent[3] - extent[1]));
    network.moveTo({ position: { x: (extent[0] + extent[2]) / 2, y: (extent[1] + extent[3]) / 2 },
      scale: 0.98 * scale, animation: false });
  }

  // --- the basemap: country outlines (Natural Earth 110m), projected when the page was made --
  var MAP = { land: "#e6e2d8", chosen: "#c9d6e3", border: "#ffffff", grid: "#e2e8ee", ocean: "#f3f7fa" };
  function polyPath(flat, path, close) {
    path.moveTo(flat[0], flat[1]);
    for (var i = 2; i < flat.length; i += 2) path.lineTo(flat[i], flat[i + 1]);
    if (close) path.closePath();
    return path;
  }
  var landPath = null, spherePath = null, gridPath = null, outlineRings = {}, chosenPath = null;
  if (basemap) {
    landPath = new Path2D();
    (basemap.outlines || []).forEach(function (o) {
      outlineRings[o.id] = o.rings;
      o.rings.forEach(function (r) { polyPath(r, landPath, true); });
    });
    if (basemap.sphere && basemap.sphere.length) spherePath = polyPath(basemap.sphere, new Path2D(), true);
    gridPath = new Path2D();
    (basemap.graticule || []).forEach(function (line) { polyPath(line, gridPath, false); });
  }
  function drawBasemap(ctx) {
    var px = 1 / network.getScale();
    ctx.save();
    if (spherePath) { ctx.fillStyle = MAP.ocean; ctx.fill(spherePath); }
    ctx.lineWidth = px;
    ctx.strokeStyle = MAP.grid;
    ctx.stroke(gridPath);
    ctx.fillStyle = MAP.land;
    ctx.fill(landPath, "evenodd");
    if (chosenCountry && outlineRings[chosenCountry]) {
      if (!chosenPath || chosenPath.id !== chosenCountry) {
        chosenPath = { id: chosenCountry, path: new Path2D() };
        outlineRings[chosenCountry].forEach(function (r) { polyPath(r, chosenPath.path, true); });
      }
      ctx.fillStyle = MAP.chosen;
      ctx.fill(chosenPath.path, "evenodd");
    }
    ctx.strokeStyle = MAP.border;
    ctx.lineWidth = 0.8 * px;
    ctx.stroke(landPath);
    ctx.restore();
  }

  // --- labels: written by the page, biggest places first, never one over another ----------
  var LABEL_FACE = "system-ui, sans-serif";
  var labelOrder = [];
  var widthCache = {};
  function textWidth(ctx, text) {
    if (widthCache[text] === undefined) {
      ctx.font = "100px " + LABEL_FACE;
      widthCache[text] = ctx.measureText(text).width / 100;
    }
    return widthCache[text];
  }
  var KIND_RANK = { country: 0, region: 1, subnational: 2, place: 2, checkpoint: 3 };
  function orderLabels(degree, first) {
    first = first || {};
    labelOrder = nodes.get({ filter: function (n) { return !n.hidden && n.label; } });
    labelOrder.sort(function (a, b) {
      if (!first[a.id] !== !first[b.id]) return first[a.id] ? -1 : 1;
      var ra = KIND_RANK[a.kind] === undefined ? 4 : KIND_RANK[a.kind];
      var rb = KIND_RANK[b.kind] === undefined ? 4 : KIND_RANK[b.kind];
      return ra - rb || (degree[b.id] || 0) - (degree[a.id] || 0) || (b.size || 0) - (a.size || 0) ||
        (a.id < b.id ? -1 : 1);
    });
  }
  function drawLabels(ctx) {
    var scale = network.getScale();
    var view = network.DOMtoCanvas({ x: 0, y: 0 });
    var box = container.getBoundingClientRect();
    var far = network.DOMtoCanvas({ x: box.width, y: box.height });
    var positions = network.getPositions(labelOrder.map(function (n) { return n.id; }));
    var cell = 80 / scale, grid = {}, drawn = [];
    function free(b) {
      for (var cx = Math.floor(b[0] / cell); cx <= Math.floor(b[2] / cell); cx++) {
        for (var cy = Math.floor(b[1] / cell); cy <= Math.floor(b[3] / cell); cy++) {
          var list = grid[cx + "," + cy] || [];
          for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return false;
          }
        }
      }
      return true;
    }
    function take(b) {
      for (var cx = Math.floor(b[0] / cell); cx <= Math.floor(b[2] / cell); cx++) {
        for (var cy = Math.floor(b[1] / cell); cy <= Math.floor(b[3] / cell); cy++) {
          (grid[cx + "," + cy] = grid[cx + "," + cy] || []).push(b);
        }
      }
    }
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    labelOrder.forEach(function (n) {
      var p = positions[n.id];
      if (!p || p.x < view.x || p.x > far.x || p.y < view.y || p.y > far.y) return;
      var fontPx = (KIND_RANK[n.kind] === 0 ? 12 : 10.5) / scale;
      var w = textWidth(ctx, n.label) * fontPx;
      var top = p.y + (n.size || 7) + 1.5 / scale;
      var b = [p.x - w / 2 - 1 / scale, top, p.x + w / 2 + 1 / scale, top + 1.2 * fontPx];
      if (!free(b)) return;
      take(b);
      ctx.font = fontPx + "px " + LABEL_FACE;
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(n.label, p.x, top);
      ctx.fillStyle = "#1f2933";
      ctx.fillText(n.label, p.x, top);
      drawn.push({ id: n.id, text: n.label, x: p.x, y: top, size: fontPx, box: b });
    });
    ctx.restore();
    state.labels = drawn;
  }

  state.dataMs = performance.now();
  network.setData({ nodes: nodes, edges: edges });

  // Circles of equal distance around the focus of a focused map (distances are compressed).
  function distanceRings(ctx, p) {
    var KM_PER_DEGREE = 111.2;
    ctx.save();
    ctx.strokeStyle = "#e3e7ec";
    ctx.fillStyle = "#9aa5b1";
    ctx.lineWidth = 1;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    [1000, 2500, 5000, 10000].forEach(function (km) {
      var r = p.scale * p.knee * Math.log1p(km / KM_PER_DEGREE / p.knee);
      ctx.beginPath(); ctx.arc(0, 0, r, 0, 2 * Math.PI); ctx.stroke();
      ctx.fillText(km.toLocaleString("en") + " km", 0, -r - 4);
    });
    ctx.restore();
  }

  // --- legend of node kinds ---------------------------------------------------------------
  function icon(shape, colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14"); svg.setAttribute("height", "14");
    svg.setAttribute("viewBox", "-7 -7 14 14"); svg.setAttribute("aria-hidden", "true");
    var paths = {
      triangle: "M0 -6 L6 5 L-6 5 z",
      triangleDown: "M0 6 L6 -5 L-6 -5 z",
      square: "M-5 -5 H5 V5 H-5 z",
      diamond: "M0 -6 L6 0 L0 6 L-6 0 z",
      hexagon: "M-6 0 L-3 -5.2 L3 -5.2 L6 0 L3 5.2 L-3 5.2 z",
      star: "M0 -6.5 L1.6 -2 L6.2 -2 L2.5 1 L3.9 5.5 L0 2.8 L-3.9 5.5 L-2.5 1 L-6.2 -2 L-1.6 -2 z"
    };
    var shapeEl;
    if (paths[shape]) {
      shapeEl = document.createElementNS(ns, "path");
      shapeEl.setAttribute("d", paths[shape]);
    } else {
      shapeEl = document.createElementNS(ns, "circle");
      shapeEl.setAttribute("r", "5.5");
    }
    shapeEl.setAttribute("fill", colour);
    svg.appendChild(shapeEl);
    return svg;
  }
  var kindsBox = document.getElementById("cg-kinds");
  (page.kinds || []).forEach(function (k) {
    if (!k.count) return;
    var row = element("div", { "class": "cg-row", "data-kind": k.kind });
    row.appendChild(icon(k.shape, k.colour));
    row.appendChild(element("span", {}, k.label));
    row.appendChild(element("span", { "class": "cg-count" }, String(k.count)));
    kindsBox.appendChild(row);
  });
  var tieLine = document.getElementById("cg-tie-line");
  if (tieLine && page.tie_colour) tieLine.setAttribute("stroke", page.tie_colour);

  // --- filters ----------------------------------------------------------------------------
  var marketBox = document.getElementById("cg-markets");
  var marketInputs = markets.map(function (m) {
    var label = element("label", { "class": "cg-row" });
    var input = element("input", { type: "checkbox", value: m.slug, "data-market": m.slug });
    input.checked = true;
    var swatch = element("span", { "class": "cg-swatch" });
    swatch.style.background = m.colour;
    label.appendChild(input);
    label.appendChild(swatch);
    label.appendChild(element("span", {}, m.label));
    label.appendChild(element("span", { "class": "cg-count" }, String(m.count)));
    marketBox.appendChild(label);
    input.addEventListener("change", apply);
    return input;
  });
  var countrySelect = document.getElementById("cg-country");
  (page.countries || []).forEach(function (c) {
    countrySelect.appendChild(element("option", { value: c.id }, c.label));
  });
  countrySelect.addEventListener("change", apply);
  var wholeChainsBox = document.getElementById("cg-whole-chains");
  wholeChainsBox.addEventListener("change", apply);
  var yearSelect = document.getElementById("cg-year");
  var documentYears = page.document_years || [];
  var flowDocs = page.flow_docs || [];
  (page.years || []).slice().reverse().forEach(function (y) {
    yearSelect.appendChild(element("option", { value: String(y) }, String(y)));
  });
  yearSelect.addEventListener("change", apply);
  var topSelect = document.getElementById("cg-top");
  var arrowCount = edges.get({ filter: function (e) { return e.kind === "flow"; } }).length;
  [50, 100, 250, 500, 1000].forEach(function (n) {
    if (n < arrowCount) topSelect.appendChild(element("option", { value: String(n) }, "the " + n + " strongest"));
  });
  topSelect.value = page.top ? String(page.top) : "0";
  if (topSelect.value === "") topSelect.value = "0";
  topSelect.addEventListener("change", apply);
  var widthBox = document.getElementById("cg-widths");
  (page.widths || []).forEach(function (pair) {
    var ns = "http://www.w3.org/2000/svg";
    var row = element("div", { "class": "cg-row" });
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "34"); svg.setAttribute("height", "12"); svg.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "2"); line.setAttribute("y1", "6"); line.setAttribute("x2", "32"); line.setAttribute("y2", "6");
    line.setAttribute("stroke", "#555"); line.setAttribute("stroke-width", String(pair[1]));
    svg.appendChild(line);
    row.appendChild(svg);
    row.appendChild(element("span", {}, pair[0] + (pair[0] === 1 ? " source" : " sources")));
    widthBox.appendChild(row);
  });
  var entitiesBox = document.getElementById("cg-entities");
  entitiesBox.checked = page.show_entities !== false;
  entitiesBox.addEventListener("change", apply);
  function setAll(on) {
    marketInputs.forEach(function (i) { i.checked = on; });
    apply();
  }
  document.getElementById("cg-markets-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("cg-markets-none").addEventListener("click", function () { setAll(false); });
  document.getElementById("cg-fit").addEventListener("click", fitMap);

  var ENTITY_KINDS = { commodity: true, actor: true, route: true };
  var focusDegree = {};
  var PLACE_KINDS = { country: true, region: true, subnational: true, place: true, checkpoint: true };
  var baseLook = {};
  edges.get().forEach(function (e) { baseLook[e.id] = { color: e.color, width: e.width }; });
  function inYear(f, year) {
    var docs = flowDocs[f] || [];
    for (var j = 0; j < docs.length; j++) if (documentYears[docs[j]] === year) return true;
    return false;
  }

  // A flow is shown when its market is chosen and, if a country is chosen, it has the country
  // as an origin, transit or destination; a node or edge is shown when one of the flows it
  // belongs to is shown. With a country chosen, an arrow is shown only when it starts or ends
  // there (unless "whole chains" is ticked), and a place only when it is the country or an end
  // of a shown arrow: no arrow out of the country's reach.
  function apply() {
    var chosen = {};
    marketInputs.forEach(function (i, n) { if (i.checked) chosen[n] = true; });
    var country = countrySelect.value;
    var year = yearSelect.value === "" ? null : Number(yearSelect.value);
    var top = Number(topSelect.value) || 0;
    chosenCountry = country;
    state.focus = null;
    clearPanel();
    var allMarkets = marketInputs.every(function (i) { return i.checked; });
    var filtered = country !== "" || year !== null ||
      marketInputs.some(function (i) { return !i.checked; });
    for (var f = 0; f < flows.length; f++) {
      // A flow of a market without arrows (stated without legs) goes with "all markets".
      var marketOn = chosen[flows[f][0]] === true || (flows[f][0] < 0 && allMarkets);
      var on = marketOn && (!country || flows[f][1].indexOf(country) >= 0) &&
        (year === null || inYear(f, year));
      flowOn[f] = on ? 1 : 0;
    }
    var showEntities = entitiesBox.checked;
    function shown(item) {
      var ids = item.flows || [];
      if (!ids.length) return !filtered;
      for (var j = 0; j < ids.length; j++) if (flowOn[ids[j]]) return true;
      return false;
    }
    var onlyTouching = country !== "" && !wholeChainsBox.checked;
    var candidates = edges.get({ filter: function (e) {
      return e.kind === "flow" && shown(e) &&
        !(onlyTouching && e.from !== country && e.to !== country);
    } });
    // Clutter control: only the strongest arrows (most distinct sources, then documents).
    if (top > 0 && candidates.length > top) {
      candidates.sort(function (a, b) {
        return (b.sources || 0) - (a.sources || 0) || (b.docs || []).length - (a.docs || []).length ||
          (a.id < b.id ? -1 : 1);
      });
      candidates = candidates.slice(0, top);
    }
    var prune = onlyTouching || top > 0 || year !== null;
    var arrowOn = {}, arrowEnds = {}, degree = {};
    focusDegree = degree;
    candidates.forEach(function (e) {
      arrowOn[e.id] = true;
      arrowEnds[e.from] = true;
      arrowEnds[e.to] = true;
      degree[e.from] = (degree[e.from] || 0) + (e.sources || 1);
      degree[e.to] = (degree[e.to] || 0) + (e.sources || 1);
    });
    var hiddenNodes = {};
    var nodeChanges = nodes.get().map(function (n) {
      var hide = !shown(n) || (!showEntities && ENTITY_KINDS[n.kind] === true);
      if (prune && PLACE_KINDS[n.kind] === true && n.id !== country && !arrowEnds[n.id]) {
        hide = true;
      }
      if (hide) hiddenNodes[n.id] = true;
      return { id: n.id, hidden: hide };
    });
    var edgeChanges = edges.get().map(function (e) {
      var look = baseLook[e.id];
      var off = e.kind === "flow" ? !arrowOn[e.id] : !shown(e);
      return {
        id: e.id,
        color: look.color,
        width: look.width,
        hidden: off || hiddenNodes[e.from] === true || hiddenNodes[e.to] === true
      };
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    placeNewcomers(nodeChanges, hiddenNodes);
    orderLabels(degree);
    stats();
  }

  // --- route focus: an arrow's whole chain, and the sentences that state it ---------------
  var evidence = page.evidence || [];
  var flowEvidence = page.flow_evidence || [];
  var flowChains = page.flow_chains || [];
  var routeBox = document.getElementById("cg-route");
  var routeList = document.getElementById("cg-route-list");
  var MAX_FLOWS_LISTED = 25, MAX_QUOTES_LISTED = 6;
  function clearPanel() {
    if (!routeBox) return;
    routeBox.hidden = true;
    while (routeList.firstChild) routeList.removeChild(routeList.firstChild);
  }
  function label(id) {
    var n = nodes.get(id);
    return n ? (n.title || n.label || id).split("\n")[0] : id;
  }
  function focusArrow(id) {
    var arrow = edges.get(id);
    if (!arrow || arrow.kind !== "flow") return;
    var mine = (arrow.flows || []).filter(function (f) { return flowOn[f]; });
    if (!mine.length) mine = arrow.flows || [];
    var inChain = {};
    mine.forEach(function (f) { inChain[f] = true; });
    var chain = [], ends = {};
    var changes = edges.get({ filter: function (e) { return e.kind === "flow"; } }).map(function (e) {
      var member = (e.flows || []).some(function (f) { return inChain[f]; });
      var look = baseLook[e.id];
      if (member) {
        chain.push(e.id);
        ends[e.from] = true; ends[e.to] = true;
        return { id: e.id, hidden: false, color: look.color, width: look.width + 2 };
      }
      return { id: e.id, color: { color: "rgba(160,160,160,0.18)", highlight: "rgba(160,160,160,0.5)",
        hover: "rgba(120,120,120,0.6)" }, width: look.width };
    });
    edges.update(changes);
    nodes.update(Object.keys(ends).map(function (n) { return { id: n, hidden: false }; }));
    network.selectEdges(chain);
    orderLabels(focusDegree, ends);
    state.focus = { arrow: id, arrows: chain.sort(), flows: mine.slice().sort(function (a, b) { return a - b; }) };
    showPanel(arrow, mine);
  }
  function showPanel(arrow, mine) {
    clearPanel();
    routeBox.hidden = false;
    var market = markets[flows[mine[0]] ? flows[mine[0]][0] : -1];
    routeList.appendChild(element("p", { "class": "cg-route-head" },
      (market ? market.label + ": " : "") + label(arrow.from) + " → " + label(arrow.to) +
      " (" + (arrow.sources || 1) + (arrow.sources === 1 ? " source, " : " sources, ") +
      mine.length + (mine.length === 1 ? " flow)" : " flows)")));
    mine.slice(0, MAX_FLOWS_LISTED).forEach(function (f) {
      var item = element("div", { "class": "cg-flow", "data-flow": String(f) });
      item.appendChild(element("p", { "class": "cg-chain" }, flowChains[f] || ""));
      var quotes = flowEvidence[f] || [];
      quotes.slice(0, MAX_QUOTES_LISTED).forEach(function (q) {
        var ev = evidence[q];
        if (!ev) return;
        item.appendChild(element("blockquote", { "class": "cg-quote", "data-evidence": String(q) }, ev[0]));
        var docs = ev[1] || [];
        if (!docs.length) return;
        var cited = docs.slice(0, 2).map(function (d) {
          return page.documents[d] + (documentYears[d] ? " (" + documentYears[d] + ")" : "");
        }).join(", ");
        if (docs.length > 2) cited += " and " + (docs.length - 2) + " more";
        item.appendChild(element("p", { "class": "cg-cite" }, "— " + cited));
      });
      if (quotes.length > MAX_QUOTES_LISTED) {
        item.appendChild(element("p", { "class": "cg-cite" }, "… and " + (quotes.length - MAX_QUOTES_LISTED) + " more"));
      }
      routeList.appendChild(item);
    });
    if (mine.length > MAX_FLOWS_LISTED) {
      routeList.appendChild(element("p", { "class": "cg-cite" }, "… and " + (mine.length - MAX_FLOWS_LISTED) + " more flows"));
    }
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      var listed = countrySelect.querySelector('option[value="' + String(node.id).replace(/["\\]/g, "") + '"]');
      if (node && PLACE_KINDS[node.kind] && listed) {
        countrySelect.value = node.id;
        apply();
      }
      return;
    }
    if (params.edges.length) {
      var edge = edges.get(params.edges[0]);
      if (edge && edge.kind === "flow") { focusArrow(edge.id); return; }
    }
    if (state.focus) apply();
  });
  var clearButton = document.getElementById("cg-route-clear");
  if (clearButton) clearButton.addEventListener("click", function () { network.unselectAll(); apply(); });

  // Nodes left out of the force layout's physics (hidden when the page opened) go beside
  // their shown neighbours the first time they are shown.
  var placed = {};
  function placeNewcomers(changes, hiddenNodes) {
    if (page.layout !== "force") return;
    var positions = network.getPositions();
    var moves = [];
    changes.forEach(function (change) {
      var node = nodes.get(change.id);
      if (change.hidden || node.physics !== false || placed[change.id]) return;
      var around = network.getConnectedNodes(change.id).filter(function (id) {
        return hiddenNodes[id] !== true && nodes.get(id).physics !== false;
      });
      if (!around.length) return;
      var x = 0, y = 0;
      around.forEach(function (id) { x += positions[id].x; y += positions[id].y; });
      var k = moves.length, angle = k * 2.39996, radius = 40 + 4 * Math.sqrt(k);
      moves.push({ id: change.id, x: x / around.length + radius * Math.cos(angle),
                   y: y / around.length + radius * Math.sin(angle) });
      placed[change.id] = true;
    });
    if (moves.length) nodes.update(moves);
  }

  function stats() {
    var arrows = edges.get({ filter: function (e) { return e.kind === "flow" && !e.hidden; } });
    var shownNodes = nodes.get({ filter: function (n) { return !n.hidden; } });
    var countries = shownNodes.filter(function (n) { return n.kind === "country"; }).length;
    var docs = {};
    var year = yearSelect.value === "" ? null : Number(yearSelect.value);
    arrows.forEach(function (e) {
      (e.docs || []).forEach(function (d) { if (year === null || documentYears[d] === year) docs[d] = true; });
    });
    var text = countries + " countries, " + arrows.length + " arrows";
    if (arrows.length < arrowCount) text += " (of " + arrowCount + ")";
    if (page.documents) text += " from " + Object.keys(docs).length + " documents";
    document.getElementById("cg-stats").textContent = text;
  }
  apply();

  // --- SVG: the map as drawn now (outlines, arrows, nodes, labels), for reports -------------
  var SVG_NS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var el = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) el.textContent = text;
    return el;
  }
  function flatD(flat, close) {
    var d = "M" + flat[0] + " " + flat[1];
    for (var i = 2; i < flat.length; i += 2) d += "L" + flat[i] + " " + flat[i + 1];
    return close ? d + "Z" : d;
  }
  function colourOf(c) { return typeof c === "string" ? c : (c && c.color) || "#555"; }
  function round2(v) { return Math.round(v * 100) / 100; }
  function toSVG() {
    var box = container.getBoundingClientRect();
    var scale = network.getScale(), origin = network.canvasToDOM({ x: 0, y: 0 });
    var svg = svgEl("svg", { xmlns: SVG_NS, width: String(Math.round(box.width)),
      height: String(Math.round(box.height)), viewBox: "0 0 " + Math.round(box.width) + " " + Math.round(box.height),
      "font-family": LABEL_FACE });
    svg.appendChild(svgEl("title", {}, page.title || "crimegraph"));
    svg.appendChild(svgEl("rect", { x: "0", y: "0", width: "100%", height: "100%", fill: "#ffffff" }));
    var g = svgEl("g", { transform: "translate(" + round2(origin.x) + " " + round2(origin.y) + ") scale(" + scale + ")" });
    svg.appendChild(g);
    var px = 1 / scale;
    if (basemap) {
      if (basemap.sphere && basemap.sphere.length) g.appendChild(svgEl("path", { d: flatD(basemap.sphere, true), fill: MAP.ocean }));
      var grid = (basemap.graticule || []).map(function (l) { return flatD(l, false); }).join("");
      if (grid) g.appendChild(svgEl("path", { d: grid, fill: "none", stroke: MAP.grid, "stroke-width": String(px) }));
      (basemap.outlines || []).forEach(function (o) {
        g.appendChild(svgEl("path", { "data-country": o.id, d: o.rings.map(function (r) { return flatD(r, true); }).join(""),
          fill: o.id === chosenCountry ? MAP.chosen : MAP.land, "fill-rule": "evenodd", stroke: MAP.border,
          "stroke-width": String(0.8 * px) }));
      });
    }
    var positions = network.getPositions();
    var shownNodes = {};
    nodes.get({ filter: function (n) { return !n.hidden; } }).forEach(function (n) { shownNodes[n.id] = n; });
    edges.get({ filter: function (e) { return !e.hidden; } }).forEach(function (e) {
      var body = network.body.edges[e.id];
      if (!body || !shownNodes[e.from] || !shownNodes[e.to]) return;
      var pts = [];
      for (var t = 0; t <= 1.0001; t += 0.05) pts.push(body.edgeType.getPoint(t));
      var colour = colourOf(e.color);
      if (e.kind !== "flow") {
        g.appendChild(svgEl("path", { d: "M" + round2(pts[0].x) + " " + round2(pts[0].y) + "L" +
          round2(pts[pts.length - 1].x) + " " + round2(pts[pts.length - 1].y), stroke: colour, "stroke-width": "1",
          "stroke-dasharray": "4 3", fill: "none" }));
        return;
      }
      var target = positions[e.to], reach = (shownNodes[e.to].size || 7) + 1;
      while (pts.length > 2 && Math.hypot(pts[pts.length - 1].x - target.x, pts[pts.length - 1].y - target.y) < reach) pts.pop();
      var d = pts.map(function (p, i) { return (i ? "L" : "M") + round2(p.x) + " " + round2(p.y); }).join("");
      var path = svgEl("path", { "data-arrow": e.id, d: d, fill: "none", stroke: colour,
        "stroke-width": String(e.width || 1), "stroke-linecap": "round" });
      g.appendChild(path);
      var a = pts[pts.length - 2], b = pts[pts.length - 1];
      var ang = Math.atan2(b.y - a.y, b.x - a.x), len = 7 + 1.5 * (e.width || 1), half = len * 0.45;
      var tip = { x: b.x + Math.cos(ang) * 1, y: b.y + Math.sin(ang) * 1 };
      var l = { x: b.x - Math.cos(ang) * len - Math.sin(ang) * half, y: b.y - Math.sin(ang) * len + Math.cos(ang) * half };
      var r = { x: b.x - Math.cos(ang) * len + Math.sin(ang) * half, y: b.y - Math.sin(ang) * len - Math.cos(ang) * half };
      g.appendChild(svgEl("path", { d: "M" + round2(tip.x) + " " + round2(tip.y) + "L" + round2(l.x) + " " + round2(l.y) +
        "L" + round2(r.x) + " " + round2(r.y) + "Z", fill: colour }));
    });
    Object.keys(shownNodes).forEach(function (id) {
      var n = shownNodes[id], p = positions[id];
      if (!p) return;
      g.appendChild(svgEl("circle", { "data-node": id, cx: String(round2(p.x)), cy: String(round2(p.y)),
        r: String(n.size || 7), fill: colourOf(n.color), stroke: "#ffffff", "stroke-width": String(px) }));
    });
    (state.labels || []).forEach(function (lab) {
      g.appendChild(svgEl("text", { x: String(round2(lab.x)), y: String(round2(lab.y + lab.size)),
        "font-size": String(round2(lab.size)), "text-anchor": "middle", fill: "#1f2933", stroke: "#ffffff",
        "stroke-width": String(round2(3 * px)), "paint-order": "stroke" }, lab.text));
    });
    var legend = svgEl("g", { transform: "translate(12 16)", "font-size": "12" });
    var row = 0;
    legend.appendChild(svgEl("text", { x: "0", y: "0", "font-weight": "bold" }, page.title || ""));
    marketInputs.forEach(function (input, i) {
      if (!input.checked || !markets[i].count) return;
      row += 1;
      legend.appendChild(svgEl("rect", { x: "0", y: String(row * 16 - 5), width: "14", height: "4", fill: markets[i].colour }));
      legend.appendChild(svgEl("text", { x: "20", y: String(row * 16) }, markets[i].label));
    });
    svg.appendChild(legend);
    return new XMLSerializer().serializeToString(svg);
  }

  // For tests, benchmarks and notebooks: the live data sets and the layout state.
  window.crimegraph = {
    network: network,
    nodes: nodes,
    edges: edges,
    state: state,
    apply: apply,
    focusArrow: focusArrow,
    svg: toSVG,
    visible: function () {
      return {
        nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; }),
        edges: edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; })
      };
    }
  };
})();
