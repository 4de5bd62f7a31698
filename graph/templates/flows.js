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
  var network = new vis.Network(document.getElementById("cg-network"), {}, options);
  function layoutDone() {
    if (state.layoutDone) return;
    state.layoutDone = true;
    state.layoutMs = performance.now();
    network.fit({ animation: false });
    document.body.setAttribute("data-layout", "done");
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
  if (page.layout === "geo" && projection) {
    network.on("beforeDrawing", function (ctx) {
      if (projection.focused) distanceRings(ctx, projection); else graticule(ctx, projection.scale);
    });
  }
  state.dataMs = performance.now();
  network.setData({ nodes: nodes, edges: edges });

  // Lines of longitude and latitude every 30 degrees, so the world map reads like a map.
  function graticule(ctx, scale) {
    ctx.save();
    ctx.lineWidth = 1;
    for (var lon = -180; lon <= 180; lon += 30) {
      ctx.strokeStyle = "#eef0f3";
      ctx.beginPath(); ctx.moveTo(lon * scale, -80 * scale); ctx.lineTo(lon * scale, 70 * scale); ctx.stroke();
    }
    for (var lat = -60; lat <= 80; lat += 30) {
      ctx.strokeStyle = lat === 0 ? "#dde3ea" : "#eef0f3";
      ctx.beginPath(); ctx.moveTo(-180 * scale, -lat * scale); ctx.lineTo(180 * scale, -lat * scale); ctx.stroke();
    }
    ctx.restore();
  }

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
  var entitiesBox = document.getElementById("cg-entities");
  entitiesBox.checked = page.show_entities !== false;
  entitiesBox.addEventListener("change", apply);
  function setAll(on) {
    marketInputs.forEach(function (i) { i.checked = on; });
    apply();
  }
  document.getElementById("cg-markets-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("cg-markets-none").addEventListener("click", function () { setAll(false); });
  document.getElementById("cg-fit").addEventListener("click", function () { network.fit(); });

  var ENTITY_KINDS = { commodity: true, actor: true, route: true };
  var PLACE_KINDS = { country: true, region: true };

  // A flow is shown when its market is chosen and, if a country is chosen, it has the country
  // as an origin, transit or destination; a node or edge is shown when one of the flows it
  // belongs to is shown. With a country chosen, an arrow is shown only when it starts or ends
  // there (unless "whole chains" is ticked), and a place only when it is the country or an end
  // of a shown arrow: no arrow out of the country's reach.
  function apply() {
    var chosen = {};
    marketInputs.forEach(function (i, n) { if (i.checked) chosen[n] = true; });
    var country = countrySelect.value;
    var filtered = country !== "" || marketInputs.some(function (i) { return !i.checked; });
    for (var f = 0; f < flows.length; f++) {
      var on = chosen[flows[f][0]] === true && (!country || flows[f][1].indexOf(country) >= 0);
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
    var arrowEnds = {};
    edges.get().forEach(function (e) {
      if (e.kind !== "flow" || !shown(e)) return;
      if (onlyTouching && e.from !== country && e.to !== country) return;
      arrowEnds[e.from] = true;
      arrowEnds[e.to] = true;
    });
    var hiddenNodes = {};
    var nodeChanges = nodes.get().map(function (n) {
      var hide = !shown(n) || (!showEntities && ENTITY_KINDS[n.kind] === true);
      if (onlyTouching && PLACE_KINDS[n.kind] === true && n.id !== country && !arrowEnds[n.id]) {
        hide = true;
      }
      if (hide) hiddenNodes[n.id] = true;
      return { id: n.id, hidden: hide };
    });
    var edgeChanges = edges.get().map(function (e) {
      var off = onlyTouching && e.kind === "flow" && e.from !== country && e.to !== country;
      return {
        id: e.id,
        hidden: off || !shown(e) || hiddenNodes[e.from] === true || hiddenNodes[e.to] === true
      };
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    placeNewcomers(nodeChanges, hiddenNodes);
    stats();
  }

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
    arrows.forEach(function (e) { (e.docs || []).forEach(function (d) { docs[d] = true; }); });
    var text = countries + " countries, " + arrows.length + " arrows";
    if (page.documents) text += " from " + Object.keys(docs).length + " documents";
    document.getElementById("cg-stats").textContent = text;
  }
  stats();

  // For tests, benchmarks and notebooks: the live data sets and the layout state.
  window.crimegraph = {
    network: network,
    nodes: nodes,
    edges: edges,
    state: state,
    apply: apply,
    visible: function () {
      return {
        nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; }),
        edges: edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; })
      };
    }
  };
})();
