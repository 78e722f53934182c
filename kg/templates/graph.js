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
  window.kgExplorer = { network: network, nodes: nodes, edges: edges };  // for the console and for automation

  // Ready = the first picture is drawn and physics is off: the page answers clicks, search and zoom from here.
  function ready() {
    physics.checked = false;
    document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    document.body.setAttribute("data-stabilized", "true");
  }
  if (!data.nodes.length) {
    ready();  // nothing to lay out; the panel says why
  } else if (data.options.physics && data.options.physics.enabled === false) {
    network.once("afterDrawing", ready);  // positions were computed when the page was written
    network.fit({ animation: false });
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit({ animation: false });
      ready();
    });
  }
  physics.addEventListener("change", function () { network.setOptions({ physics: physics.checked }); });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  // The supporting sentence with the entities' names marked; marks are [start, end] offsets into the sentence.
  function sentence(ev) {
    var quote = el("blockquote"), text = String(ev.sentence), at = 0;
    (ev.marks || []).forEach(function (m) {
      if (m[0] > at) quote.appendChild(document.createTextNode(text.slice(at, m[0])));
      quote.appendChild(el("mark", text.slice(m[0], m[1])));
      at = m[1];
    });
    if (at < text.length) quote.appendChild(document.createTextNode(text.slice(at)));
    return quote;
  }

  // Only http(s) addresses become links: a javascript: or data: address in an article stays text.
  function webAddress(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function source(ev) {
    var article = data.articles[ev.article], line = el("div", null, "src");
    var name = article.title, href = article.url ? webAddress(article.url) : null;
    if (href) {
      var link = el("a", name);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      line.appendChild(link);
    } else {
      line.appendChild(el("span", name, "title"));
    }
    if (article.date) line.appendChild(el("span", " · " + article.date, "date"));
    line.appendChild(el("span", " · " + (ev.rule ? ev.rule + ", " : "") + "confidence " + ev.confidence, "rule"));
    return line;
  }

  function evidence(list) {
    var box = el("div", null, "evidence");
    list.forEach(function (ev) { box.appendChild(sentence(ev)); box.appendChild(source(ev)); });
    return box;
  }

  // Large pages draw no relation labels (vis-network would draw all of them on every frame), and updating
  // edges in the DataSet costs a pass over all of them; the selected entity's or relation's labels are painted
  // onto the canvas after each frame instead, as text.
  var labelOwn = data.options.edges.font.size === 0, labelled = [];
  function labelEdges(ids) {
    if (!labelOwn) return;
    labelled = ids;
    document.body.setAttribute("data-labelled-edges", String(ids.length));
    network.redraw();
  }
  network.on("afterDrawing", function (ctx) {
    if (!labelled.length) return;
    ctx.save();
    ctx.font = "10px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillStyle = "#3e4c59";
    labelled.forEach(function (id) {
      var edge = edges.get(id);
      if (!edge || edge.hidden) return;
      var at = network.getPositions([edge.from, edge.to]), a = at[edge.from], b = at[edge.to];
      ctx.fillText(String(edge.label), (a.x + b.x) / 2, (a.y + b.y) / 2 - 3);
    });
    ctx.restore();
  });

  function goTo(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    showNode(id);
  }

  function showNode(id) {
    var info = data.details[String(id)];
    if (!info) return;
    panel.replaceChildren();
    panel.appendChild(el("h2", info.label));
    panel.appendChild(el("div", info.cls + (info.aliases.length ? " · also " + info.aliases.join(", ") : ""), "cls"));
    info.values.forEach(function (v) {
      panel.appendChild(el("h3", v.property + ": " + v.value));
      panel.appendChild(evidence([v]));
    });
    network.getConnectedEdges(id).forEach(function (edgeId) {
      var edge = edges.get(edgeId);
      if (edge.hidden) return;
      var otherId = edge.from === id ? edge.to : edge.from, other = nodes.get(otherId);
      var heading = el("h3"), jump = el("button", other.label, "entity");
      jump.type = "button";
      jump.addEventListener("click", function () { goTo(otherId); });
      if (edge.from === id) {
        heading.append(edge.label + " → ", jump);
      } else {
        heading.append(jump, " → " + edge.label);
      }
      panel.appendChild(heading);
      panel.appendChild(evidence(data.edgeDetails[String(edgeId)]));
    });
    labelEdges(network.getConnectedEdges(id));
    panel.setAttribute("data-node", info.label);
    panel.removeAttribute("data-edge");
  }

  function showEdge(edgeId) {
    var edge = edges.get(edgeId);
    panel.replaceChildren();
    panel.appendChild(el("h2", nodes.get(edge.from).label + " — " + edge.label + " → " + nodes.get(edge.to).label));
    panel.appendChild(evidence(data.edgeDetails[String(edgeId)]));
    labelEdges([edgeId]);
    panel.setAttribute("data-edge", edge.label);
    panel.removeAttribute("data-node");
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

  // Search ignores case and accents: "Renee Lefevre" finds "Renée Lefèvre" (kg.graph.fold does the same).
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).join(" ").trim();
  }

  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var typed = document.getElementById("search-box").value.trim();
    var wanted = fold(typed);
    if (!wanted) return;
    var hits = nodes.get({ filter: function (n) { return fold(String(n.label)).indexOf(wanted) !== -1; } });
    if (!hits.length) { panel.replaceChildren(el("p", "No entity matches " + typed + ".", "note")); return; }
    hits.sort(function (a, b) { return String(a.label).length - String(b.label).length; });
    goTo(hits[0].id);
  });
})();
