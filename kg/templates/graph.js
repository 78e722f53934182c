// kg explorer: reads the graph from the JSON block and never inserts markup built from data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var panel = document.getElementById("panel");
  var physics = document.getElementById("physics");

  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    network.fit({ animation: false });
    physics.checked = false;
    document.body.setAttribute("data-stabilized", "true");
  });
  physics.addEventListener("change", function () { network.setOptions({ physics: physics.checked }); });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function evidence(list, ev) {
    list.appendChild(el("blockquote", ev.sentence));
    list.appendChild(el("div", (ev.title || ev.source) + " · confidence " + ev.confidence, "src"));
  }

  function showNode(id) {
    var info = data.details[String(id)];
    if (!info) return;
    panel.replaceChildren();
    panel.appendChild(el("h2", info.label));
    panel.appendChild(el("div", info.cls + (info.aliases.length ? " · also " + info.aliases.join(", ") : ""), "cls"));
    info.values.forEach(function (v) {
      panel.appendChild(el("h3", v.property + ": " + v.value));
      evidence(panel, v);
    });
    network.getConnectedEdges(id).forEach(function (edgeId) {
      var edge = edges.get(edgeId);
      var other = nodes.get(edge.from === id ? edge.to : edge.from);
      var text = edge.from === id ? edge.label + " → " + other.label : other.label + " → " + edge.label;
      panel.appendChild(el("h3", text));
      panel.appendChild(el("pre", edge.title, "src"));
    });
    panel.setAttribute("data-node", info.label);
  }

  function showEdge(edgeId) {
    var edge = edges.get(edgeId);
    panel.replaceChildren();
    panel.appendChild(el("h2", nodes.get(edge.from).label + " — " + edge.label + " → " + nodes.get(edge.to).label));
    panel.appendChild(el("pre", edge.title, "src"));
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // Filters: an unticked class hides its entities, an unticked property its relations.
  function ticked(selector) {
    var off = {};
    document.querySelectorAll(selector).forEach(function (box) { if (!box.checked) off[box.value] = true; });
    return off;
  }
  function applyFilters() {
    var offClasses = ticked("input.class-filter"), offProperties = ticked("input.property-filter");
    var hiddenNodes = 0, hiddenEdges = 0;
    nodes.update(nodes.get().map(function (n) {
      var hidden = Boolean(offClasses[data.details[String(n.id)].cls]);
      if (hidden) hiddenNodes += 1;
      return { id: n.id, hidden: hidden };
    }));
    edges.update(edges.get().map(function (e) {
      var hidden = Boolean(offProperties[e.label]);
      if (hidden) hiddenEdges += 1;
      return { id: e.id, hidden: hidden };
    }));
    document.body.setAttribute("data-hidden-nodes", String(hiddenNodes));
    document.body.setAttribute("data-hidden-edges", String(hiddenEdges));
  }
  document.querySelectorAll("input.class-filter, input.property-filter").forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });

  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = document.getElementById("search-box").value.trim().toLowerCase();
    if (!wanted) return;
    var hits = nodes.get({ filter: function (n) { return String(n.label).toLowerCase().indexOf(wanted) !== -1; } });
    if (!hits.length) { panel.replaceChildren(el("p", "No entity matches " + wanted + ".", "note")); return; }
    hits.sort(function (a, b) { return String(a.label).length - String(b.label).length; });
    network.selectNodes([hits[0].id]);
    network.focus(hits[0].id, { scale: 1.2, animation: false });
    showNode(hits[0].id);
  });
})();
