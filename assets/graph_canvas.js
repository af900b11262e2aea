// GraphCanvas: lays out DOT with the vendored WebAssembly Graphviz and restyles the
// resulting SVG in place. Layout happens only when `dot` changes. Highlight, edge
// gradients and leaf grads arrive either as one `paint` frame or as the backward
// pass's precomputed step `frames` (frame k holds only what step k changes); moving
// `frame` restyles in the browser with no server round trip, so stepping never moves
// anything and costs a few milliseconds.
//
// After each layout or restyle the root element dispatches a bubbling, composed
// "ts-render" event whose detail holds the phase timings (benchmarks listen for it).
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let graphvizPromise = null;
const SVGNS = "http://www.w3.org/2000/svg";

function fitBox(svg) {
  // Graphviz's own viewBox already covers the drawing (its <g> carries a transform,
  // so getBBox() of the group would be in the wrong coordinates).
  const [x, y, w, h] = svg.getAttribute("viewBox").split(/[ ,]+/).map(Number);
  return [x, y, w, h];
}

function setBox(svg, box) { svg.setAttribute("viewBox", box.join(" ")); }

function download(name, blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function svgText(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", SVGNS);
  const [, , w, h] = (svg.dataset.fit || "0 0 800 600").split(" ").map(Number);
  copy.setAttribute("viewBox", svg.dataset.fit);
  copy.setAttribute("width", w);
  copy.setAttribute("height", h);
  return new XMLSerializer().serializeToString(copy);
}

function exportPng(svg, name) {
  const [, , w, h] = svg.dataset.fit.split(" ").map(Number);
  const scale = 2;
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = w * scale; canvas.height = h * scale;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "white"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((blob) => download(name, blob), "image/png");
  };
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText(svg));
}

function composeFrames(frames, k) {
  // Frame k of the backward pass = the styles of steps 1..k, with step k's highlight and caption.
  const out = { nodes: {}, edges: {}, current: "", caption: "" };
  for (let i = 0; i <= k; i++) {
    Object.assign(out.nodes, frames[i].nodes || {});
    Object.assign(out.edges, frames[i].edges || {});
  }
  out.current = frames[k].current || "";
  out.caption = frames[k].caption || "";
  return out;
}

function restyle(state, frame) {
  const svg = state.svg;
  if (!svg) return;
  svg.querySelectorAll(".ts-edge-grad").forEach((t) => t.remove());
  for (const [node, orig] of state.nodeOrig) {
    node.shape.setAttribute("fill", orig.fill);
    node.shape.setAttribute("stroke", orig.stroke);
    node.shape.setAttribute("stroke-width", orig.width);
    if (node.gradLine) node.gradLine.textContent = orig.gradText;
    node.g.classList.remove("ts-current", "ts-selected");
  }
  for (const [edge, orig] of state.edgeOrig) {
    edge.path.setAttribute("stroke", orig.stroke);
    edge.path.setAttribute("stroke-width", orig.width);
    if (edge.head) { edge.head.setAttribute("fill", orig.stroke); edge.head.setAttribute("stroke", orig.stroke); }
    edge.g.classList.remove("ts-flowing");
  }
  frame = frame || {};
  for (const [id, s] of Object.entries(frame.nodes || {})) {
    const node = state.nodes.get(id);
    if (!node) continue;
    if (s.fill) node.shape.setAttribute("fill", s.fill);
    if (s.stroke) node.shape.setAttribute("stroke", s.stroke);
    if (s.width) node.shape.setAttribute("stroke-width", s.width);
    if (s.grad !== undefined && node.gradLine) node.gradLine.textContent = s.grad;
  }
  for (const [id, s] of Object.entries(frame.edges || {})) {
    const edge = state.edges.get(id);
    if (!edge) continue;
    if (s.color) {
      edge.path.setAttribute("stroke", s.color);
      if (edge.head) { edge.head.setAttribute("fill", s.color); edge.head.setAttribute("stroke", s.color); }
    }
    if (s.width) edge.path.setAttribute("stroke-width", s.width);
    edge.g.classList.add("ts-flowing");
    if (s.label) {
      const len = edge.path.getTotalLength();
      const p = edge.path.getPointAtLength(len / 2);
      const t = document.createElementNS(SVGNS, "text");
      t.setAttribute("class", "ts-edge-grad");
      t.setAttribute("x", p.x + 6); t.setAttribute("y", p.y + 5);
      t.textContent = s.label;
      edge.g.appendChild(t);
    }
  }
  const cur = frame.current && state.nodes.get(frame.current);
  if (cur) cur.g.classList.add("ts-current");
  const sel = state.selected && state.nodes.get(state.selected);
  if (sel) sel.g.classList.add("ts-selected");
  state.caption.innerHTML = frame.caption || "";
  if (frame.status !== undefined) state.status.textContent = frame.status;
}

function index(state) {
  state.nodes = new Map(); state.edges = new Map();
  state.nodeOrig = new Map(); state.edgeOrig = new Map();
  state.svg.querySelectorAll("g.node").forEach((g) => {
    const shape = g.querySelector("polygon, ellipse, path");
    if (!shape) return;
    const texts = g.querySelectorAll("text");
    const last = texts[texts.length - 1];
    const gradLine = last && last.textContent.startsWith("grad") ? last : null;
    const node = { g, shape, gradLine };
    state.nodes.set(g.id, node);
    state.nodeOrig.set(node, { fill: shape.getAttribute("fill"), stroke: shape.getAttribute("stroke"),
                               width: shape.getAttribute("stroke-width") || "1",
                               gradText: gradLine ? gradLine.textContent : "" });
  });
  state.svg.querySelectorAll("g.edge").forEach((g) => {
    const path = g.querySelector("path");
    if (!path) return;
    const edge = { g, path, head: g.querySelector("polygon") };
    state.edges.set(g.id, edge);
    state.edgeOrig.set(edge, { stroke: path.getAttribute("stroke"), width: path.getAttribute("stroke-width") || "1" });
  });
}

export async function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "ts-graph";
  const bar = document.createElement("div");
  bar.className = "ts-toolbar";
  const view = document.createElement("div");
  view.className = "ts-view";
  const caption = document.createElement("div");
  caption.className = "ts-caption";
  const status = document.createElement("span");
  status.className = "ts-status";
  root.append(bar, view, caption);
  el.appendChild(root);
  // Fixed pixel heights: the host's height is not always definite, and a growing
  // caption must never push the graph around while stepping.
  const sizeView = () => { view.style.height = Math.max(200, (model.height || 560) - 150) + "px"; };
  sizeView();
  model.on("height", sizeView);
  const state = { svg: null, nodes: new Map(), edges: new Map(), nodeOrig: new Map(), edgeOrig: new Map(),
                  selected: model.selected || "", caption, status };
  const emit = (detail) => root.dispatchEvent(new CustomEvent("ts-render", { bubbles: true, composed: true, detail }));

  const button = (label, title, fn) => {
    const b = document.createElement("button");
    b.textContent = label; b.title = title; b.className = "ts-btn";
    b.addEventListener("click", fn);
    bar.appendChild(b);
    return b;
  };
  const zoom = (factor, cx, cy) => {
    if (!state.svg) return;
    const [x, y, w, h] = state.svg.getAttribute("viewBox").split(" ").map(Number);
    cx = cx ?? x + w / 2; cy = cy ?? y + h / 2;
    setBox(state.svg, [cx - (cx - x) * factor, cy - (cy - y) * factor, w * factor, h * factor]);
  };
  button("+", "Zoom in", () => zoom(0.8));
  button("\u2212", "Zoom out", () => zoom(1.25));
  button("Fit", "Fit the whole graph", () => state.svg && setBox(state.svg, state.svg.dataset.fit.split(" ").map(Number)));
  button("SVG", "Download the graph as SVG", () => state.svg &&
    download(model.export_name + ".svg", new Blob([svgText(state.svg)], { type: "image/svg+xml" })));
  button("PNG", "Download the graph as PNG", () => state.svg && exportPng(state.svg, model.export_name + ".png"));
  bar.appendChild(status);

  view.addEventListener("wheel", (ev) => {
    if (!state.svg) return;
    ev.preventDefault();
    const pt = state.svg.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    const p = pt.matrixTransform(state.svg.getScreenCTM().inverse());
    zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });
  let drag = null;
  view.addEventListener("pointerdown", (ev) => {
    if (!state.svg || ev.target.closest("g.node")) return;
    drag = { x: ev.clientX, y: ev.clientY, box: state.svg.getAttribute("viewBox").split(" ").map(Number) };
  });
  window.addEventListener("pointerup", () => { drag = null; });
  view.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const [x, y, w, h] = drag.box;
    const k = w / view.clientWidth;
    setBox(state.svg, [x - (ev.clientX - drag.x) * k, y - (ev.clientY - drag.y) * k, w, h]);
  });

  const currentFrame = () => {
    const frames = model.frames || [];
    if (!frames.length) return { ...model.paint, status: "" };
    const k = Math.max(0, Math.min(model.frame, frames.length - 1));
    return { ...composeFrames(frames, k), status: frames.length > 1 ? `step ${k} / ${frames.length - 1}` : "" };
  };
  const repaint = () => {
    const t0 = performance.now();
    restyle(state, currentFrame());
    emit({ kind: "restyle", frame: model.frame, style_ms: performance.now() - t0 });
  };

  const draw = async () => {
    const gv = await (graphvizPromise ??= Graphviz.load());
    const t0 = performance.now();
    if (!model.dot) { view.innerHTML = ""; state.svg = null; return; }
    const laidOut = gv.dot(model.dot);
    const t1 = performance.now();
    view.innerHTML = laidOut;
    const svg = view.querySelector("svg");
    svg.removeAttribute("width"); svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    state.svg = svg;
    const box = fitBox(svg);
    svg.dataset.fit = box.join(" ");
    setBox(svg, box);
    svg.querySelectorAll("title").forEach((t) => t.remove());
    const t2 = performance.now();
    index(state);
    for (const [id, node] of state.nodes) {
      node.g.addEventListener("click", () => {
        state.selected = id; model.selected = id; restyle(state, currentFrame());
      });
    }
    restyle(state, currentFrame());
    root.dataset.rendered = String(Number(root.dataset.rendered || 0) + 1);
    const t3 = performance.now();
    model.render_ms = t3 - t0;
    emit({ kind: "layout", layout_ms: t1 - t0, insert_ms: t2 - t1, style_ms: t3 - t2, bytes: laidOut.length });
  };
  await draw();
  model.on("dot", draw);
  model.on(["paint", "frame", "frames"], repaint);
  model.on("selected", () => { state.selected = model.selected; repaint(); });
}
