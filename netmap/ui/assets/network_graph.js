// netmap's network graph, drawn by vis-network inside the app page (Streamlit components
// v2; vis-network's own script is put in front of this one by netmap/ui/graph.py).
//
// It runs in the page itself, not in a sandboxed frame, so nothing here ever parses text
// as HTML: names are drawn on the canvas by vis-network (plain text), tooltips and the
// legend are built with textContent, and every value arrives as JSON data.
//
// What it sends back to Python: "clicked" (a trigger: the id of a node clicked) and
// "positions" (state: where each node drawn so far stands, {id: [x, y]}), so that a node
// stays where it was when a filter changes, when the page is opened again, and in the SVG.

const views = new WeakMap(); // one view per mounted component (its parent element)

export default function (component) {
  const { data, parentElement } = component;
  let view = views.get(parentElement);
  if (!view) {
    view = new GraphView(parentElement);
    views.set(parentElement, view);
  }
  view.setTriggerValue = component.setTriggerValue;
  view.setStateValue = component.setStateValue;
  view.update(data || {});
  return () => {
    view.destroy();
    views.delete(parentElement);
  };
}

class GraphView {
  constructor(root) {
    this.root = root;
    this.shell = root.querySelector(".netmap-graph");
    this.box = root.querySelector(".netmap-canvas");
    this.legendBox = root.querySelector(".netmap-legend");
    this.known = new Map(); // id -> {x, y}: where each node drawn so far stands
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.network = new vis.Network(this.box, { nodes: this.nodes, edges: this.edges }, {});
    this.drawnIds = "";
    this.drawing = "";
    this.focusRequest = null;
    this.data = {};
    // A handle for tests and for the browser console, on the element, not the window.
    this.shell.netmap = { network: this.network, ready: false, updates: 0 };
    this.network.on("click", (event) => {
      if (event.nodes.length === 1 && this.setTriggerValue) {
        this.setTriggerValue("clicked", String(event.nodes[0]));
      }
    });
    this.network.on("dragEnd", (event) => {
      if (event.nodes.length) this.remember(true);
    });
    root.querySelector("[data-action=fit]").addEventListener("click", () => this.fit(true));
    root.querySelector("[data-action=png]").addEventListener("click", () => this.downloadPng());
  }

  update(data) {
    this.data = data;
    this.showTexts(data.texts || {});
    this.shell.netmap.ready = false;
    this.shell.netmap.updates += 1;
    this.shell.netmap.given = Object.keys(data.positions || {}).length;
    this.box.style.height = `${data.height || 560}px`;
    for (const [id, xy] of Object.entries(data.positions || {})) {
      if (!this.known.has(id)) this.known.set(id, { x: xy[0], y: xy[1] });
    }
    const options = data.options || {};
    // Only the selection, a search or the positions echoed back changed: leave the
    // drawing as it is (a hover, a tooltip, the view stay), just select and centre.
    const drawing = JSON.stringify([data.nodes, data.edges, options, data.legend]);
    if (drawing === this.drawing) {
      this.settled(false, false);
      return;
    }
    this.drawing = drawing;
    const physics = !!(options.physics && options.physics.enabled);
    const fresh = [];
    const items = (data.nodes || []).map((node) => {
      const item = { ...node, title: tipElement(node.tip) };
      delete item.tip;
      const at = this.known.get(item.id);
      if (at) {
        item.x = at.x;
        item.y = at.y;
        if (physics) item.fixed = true; // what is drawn already stays put
      } else {
        fresh.push(item);
      }
      return item;
    });
    const edgeItems = (data.edges || []).map((edge) => {
      const item = { ...edge, title: tipElement(edge.tip) };
      delete item.tip;
      return item;
    });
    if (physics) this.seedNearPartners(fresh, edgeItems);
    const ids = items.map((item) => item.id).sort().join("\u0000");
    const changed = ids !== this.drawnIds;
    this.drawnIds = ids;
    this.network.setOptions({ ...options, physics: { ...(options.physics || {}), enabled: false } });
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(items);
    this.edges.add(edgeItems);
    this.drawLegend(data.legend || []);
    if (physics && fresh.length) {
      // Lay out what is new around what stands, then stop: nothing moves after that.
      this.network.setOptions({ physics: { ...options.physics, enabled: true } });
      this.network.once("stabilizationIterationsDone", () => {
        this.network.setOptions({ physics: { enabled: false } });
        const fixed = items.filter((item) => item.fixed).map((item) => ({ id: item.id, fixed: false }));
        if (fixed.length) this.nodes.update(fixed);
        this.settled(true, true);
      });
      this.network.stabilize((options.physics.stabilization || {}).iterations || 400);
    } else {
      this.settled(changed, fresh.length > 0);
    }
  }

  // The toolbar's words and the labels for screen readers, in the language of the
  // session: set as text and attributes, never parsed as HTML.
  showTexts(texts) {
    const fit = this.root.querySelector("[data-action=fit]");
    const png = this.root.querySelector("[data-action=png]");
    if (texts.fit) fit.textContent = texts.fit;
    if (texts.fit_title) fit.setAttribute("title", texts.fit_title);
    if (texts.png) png.textContent = texts.png;
    if (texts.png_title) png.setAttribute("title", texts.png_title);
    if (texts.canvas) this.box.setAttribute("aria-label", texts.canvas);
    if (texts.legend) this.legendBox.setAttribute("aria-label", texts.legend);
  }

  // After a layout: fit the view to a new set of nodes, remember positions, select/focus.
  settled(fit, report) {
    if (fit) this.fit(false);
    this.remember(report);
    const selected = this.data.selected;
    if (selected && this.nodes.get(selected)) {
      this.network.selectNodes([selected]);
    } else {
      this.network.unselectAll();
    }
    const focus = this.data.focus;
    if (focus && focus.request !== this.focusRequest && this.nodes.get(focus.id)) {
      this.network.selectNodes([focus.id]);
      this.network.focus(focus.id, {
        scale: Math.max(this.network.getScale(), 1.0),
        animation: { duration: 500, easingFunction: "easeInOutQuad" },
      });
    }
    this.focusRequest = focus ? focus.request : null;
    this.network.once("afterDrawing", () => {
      this.shell.netmap.ready = true;
      this.shell.dataset.ready = "true";
    });
    this.network.redraw();
  }

  // Place each new node beside the partners already drawn, so that physics only has to
  // settle it, not the whole network.
  seedNearPartners(fresh, edges) {
    const partners = new Map();
    for (const edge of edges) {
      for (const [a, b] of [
        [edge.from, edge.to],
        [edge.to, edge.from],
      ]) {
        if (this.known.has(b)) {
          if (!partners.has(a)) partners.set(a, []);
          partners.get(a).push(this.known.get(b));
        }
      }
    }
    fresh.forEach((item, index) => {
      const near = partners.get(item.id);
      if (!near) return;
      const angle = index * 2.399963; // the golden angle: neighbours do not stack
      item.x = near.reduce((sum, p) => sum + p.x, 0) / near.length + 40 * Math.cos(angle);
      item.y = near.reduce((sum, p) => sum + p.y, 0) / near.length + 40 * Math.sin(angle);
    });
  }

  remember(report) {
    const positions = this.network.getPositions();
    for (const [id, xy] of Object.entries(positions)) this.known.set(id, xy);
    if (report && this.setStateValue) {
      const all = {};
      for (const [id, xy] of this.known) all[id] = [Math.round(xy.x), Math.round(xy.y)];
      this.setStateValue("positions", all);
    }
  }

  fit(animated) {
    this.network.fit({ animation: animated ? { duration: 400 } : false });
  }

  drawLegend(entries) {
    this.legendBox.replaceChildren();
    for (const entry of entries) {
      const item = document.createElement("span");
      item.className = "item";
      item.appendChild(swatch(entry));
      const text = document.createElement("span");
      text.textContent = entry.label;
      item.appendChild(text);
      this.legendBox.appendChild(item);
    }
  }

  // The canvas as a PNG file, on white, with the legend written underneath.
  downloadPng() {
    const source = this.box.querySelector("canvas");
    if (!source) return;
    const ratio = source.width / Math.max(source.clientWidth, 1);
    const entries = this.data.legend || [];
    const probe = document.createElement("canvas").getContext("2d");
    probe.font = `${13 * ratio}px system-ui, sans-serif`;
    const rows = [];
    let row = [];
    let width = 12 * ratio;
    for (const entry of entries) {
      const needed = (34 + 14) * ratio + probe.measureText(entry.label).width;
      if (row.length && width + needed > source.width) {
        rows.push(row);
        row = [];
        width = 12 * ratio;
      }
      row.push([entry, width]);
      width += needed;
    }
    if (row.length) rows.push(row);
    const line = 22 * ratio;
    const picture = document.createElement("canvas");
    picture.width = source.width;
    picture.height = source.height + rows.length * line + (rows.length ? 10 * ratio : 0);
    const context = picture.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, picture.width, picture.height);
    context.drawImage(source, 0, 0);
    context.font = probe.font;
    context.textBaseline = "middle";
    rows.forEach((entries, index) => {
      const y = source.height + 5 * ratio + line * (index + 0.5);
      for (const [entry, x] of entries) {
        paintSymbol(context, entry, x, y, ratio);
        context.fillStyle = "#333333";
        context.fillText(entry.label, x + 32 * ratio, y);
      }
    });
    picture.toBlob((blob) => {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `${this.data.file || "netmap-network"}.png`;
      this.shell.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    }, "image/png");
  }

  destroy() {
    this.network.destroy();
  }
}

// A tooltip from its data ({title, subtitle, rows: [[label, value]]}), as elements whose
// text is set with textContent: whatever a name holds is shown as written.
function tipElement(tip) {
  if (!tip) return undefined;
  const element = document.createElement("div");
  const title = document.createElement("b");
  title.textContent = tip.title;
  element.appendChild(title);
  const lines = [];
  if (tip.subtitle) {
    const subtitle = document.createElement("i");
    subtitle.textContent = tip.subtitle;
    lines.push(subtitle);
  }
  for (const [label, value] of tip.rows || []) {
    const line = document.createElement("span");
    if (label) {
      const key = document.createElement("span");
      key.className = "k";
      key.textContent = `${label}: `;
      line.appendChild(key);
    }
    line.appendChild(document.createTextNode(value));
    lines.push(line);
  }
  for (const line of lines) {
    element.appendChild(document.createElement("br"));
    element.appendChild(line);
  }
  return element;
}

const SVG = "http://www.w3.org/2000/svg";
const SHAPES = {
  dot: [["circle", { cx: 7, cy: 7, r: 6 }]],
  diamond: [["polygon", { points: "7,0 14,7 7,14 0,7" }]],
  star: [["polygon", { points: "7,0 9,5 14,5 10,8.5 11.5,14 7,10.5 2.5,14 4,8.5 0,5 5,5" }]],
  triangle: [["polygon", { points: "7,1 14,13 0,13" }]],
  triangleDown: [["polygon", { points: "0,1 14,1 7,13" }]],
  square: [["rect", { x: 1, y: 1, width: 12, height: 12 }]],
  hexagon: [["polygon", { points: "3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7" }]],
};

function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

// A legend symbol: a line (with its dash pattern) or a dot or shape in its colour.
function swatch(entry) {
  if (entry.symbol === "line") {
    const svg = svgElement("svg", { width: 26, height: 12 });
    const line = svgElement("line", { x1: 1, y1: 6, x2: 25, y2: 6, stroke: entry.colour, "stroke-width": 3 });
    if (entry.pattern) line.setAttribute("stroke-dasharray", entry.pattern.join(","));
    svg.appendChild(line);
    return svg;
  }
  const svg = svgElement("svg", { width: 14, height: 14, fill: entry.colour });
  const shape = SHAPES[entry.symbol === "shape" ? entry.shape : "dot"] || SHAPES.dot;
  for (const [name, attributes] of shape) svg.appendChild(svgElement(name, attributes));
  return svg;
}

// The same symbol painted on the PNG's canvas, centred on the left of (x, y).
function paintSymbol(context, entry, x, y, ratio) {
  context.save();
  context.strokeStyle = entry.colour;
  context.fillStyle = entry.colour;
  if (entry.symbol === "line") {
    context.lineWidth = 3 * ratio;
    context.setLineDash(entry.pattern ? entry.pattern.map((p) => p * ratio) : []);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x + 26 * ratio, y);
    context.stroke();
  } else {
    const shape = SHAPES[entry.symbol === "shape" ? entry.shape : "dot"] || SHAPES.dot;
    context.translate(x + 6 * ratio, y - 7 * ratio);
    context.scale(ratio, ratio);
    for (const [name, a] of shape) {
      context.beginPath();
      if (name === "circle") context.arc(a.cx, a.cy, a.r, 0, 2 * Math.PI);
      else if (name === "rect") context.rect(a.x, a.y, a.width, a.height);
      else {
        a.points.split(" ").forEach((pair, index) => {
          const [px, py] = pair.split(",").map(Number);
          if (index === 0) context.moveTo(px, py);
          else context.lineTo(px, py);
        });
        context.closePath();
      }
      context.fill();
    }
  }
  context.restore();
}
