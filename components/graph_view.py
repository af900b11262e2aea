"""GraphView: a grad_fn graph snapshot (engine.autograd.trace) drawn in the browser.

The DOT text is built here with the `graphviz` package (no `dot` binary needed) and laid
out client-side by the vendored WebAssembly Graphviz in assets/. Highlights, edge
gradients and leaf grads travel as a small `paint` frame, or as a list of step `frames`
sent once per graph (BackwardStepper), which the browser applies to the existing SVG:
restyling never re-lays-out the picture, and moving `frame` needs no server.
"""
from __future__ import annotations

import html
import re

import graphviz
import panel as pn
import param

from assets.graph_canvas import GraphCanvas

OP_FILL, ROOT_FILL, LEAF_FILL, SAVED_FILL = "#dbe4ff", "#c3fae8", "#d3f9d8", "#ffe8cc"
NONE_COLOR = "#868e96"
FONT = "DejaVu Sans,Arial,sans-serif"
LEGEND = [  # (swatch style, text)
    (f"background:{ROOT_FILL};border:1px solid #444", "output (the tensor you call backward on)"),
    (f"background:{OP_FILL};border:1px solid #444", "backward op (grad_fn), PyTorch's name"),
    (f"background:{LEAF_FILL};border:1px solid #444;border-radius:9px", "leaf: AccumulateGrad into x.grad"),
    (f"background:{SAVED_FILL};border:1px dashed #444", "saved tensor (\u201cshow saved tensors\u201d)"),
    (f"border:1px dashed {NONE_COLOR};color:{NONE_COLOR}", "(None, 0): input that needs no grad"),
    ("background:#ffd43b;border:3px solid #d9480f", "node running in the backward step"),
    ("background:linear-gradient(90deg,#d0bfff,#5f3dc4)", "edge colour/width: |grad| flowing along it"),
]


def shape_text(shape) -> str:
    return "[" + ", ".join(str(int(d)) for d in shape) + "]"


def short_values(summary, limit: int = 4) -> str:
    """'[3., 3., 3., …]' style text for a value/grad summary, short enough for a node."""
    if not summary:
        return "None"
    values = summary.get("values")
    flat = list(_flatten(values)) if isinstance(values, list) else [values]
    nums = [_num(v) for v in flat[:limit]]
    more = ", \u2026" if len(flat) > limit or _count(summary.get("shape", [])) > limit else ""
    if not summary.get("shape"):
        return nums[0] if nums else "?"
    return "[" + ", ".join(nums) + more + "]"


def _num(v) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e6:
        return f"{float(v):.0f}."
    return f"{v:.4g}"


def _count(shape) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def _flatten(values):
    stack = [iter(values)]
    while stack:
        item = next(stack[-1], StopIteration)
        if item is StopIteration:
            stack.pop()
        elif isinstance(item, list):
            stack.append(iter(item))
        else:
            yield item


def edge_id(src: str, slot: int) -> str:
    return f"e_{src}_{slot}"


def node_lines(node: dict) -> list[str]:
    # An op whose output tensor is already freed has no shape/dtype in the snapshot.
    meta = "" if node.get("shape") is None else f"{shape_text(node['shape'])} {node.get('dtype') or ''}".strip()
    if node["kind"] == "leaf":
        return [node.get("label") or "(leaf)", node["name"], meta, "grad: " + short_values(node.get("grad"))]
    lines = [node["name"]]
    if node.get("label") or meta:
        lines.append(f"{node['label']} = {meta}" if node.get("label") else meta)
    return lines


def build_dot(snapshot: dict, show_saved: bool = False) -> str:
    """DOT for a trace snapshot: root at the top, arrows in gradient-flow direction."""
    g = graphviz.Digraph("grad_fn", graph_attr={"rankdir": "TB", "nodesep": "0.35", "ranksep": "0.45",
                                                "bgcolor": "transparent", "pad": "0.1"},
                         node_attr={"fontname": FONT, "fontsize": "17", "style": "filled", "penwidth": "1.4",
                                    "margin": "0.3,0.1", "shape": "box", "fillcolor": OP_FILL},
                         edge_attr={"penwidth": "1.6", "arrowsize": "0.9", "color": "#495057"})
    root = snapshot.get("root")
    for node in snapshot.get("nodes", []):
        nid = node["id"]
        label = "\n".join(node_lines(node))
        if node["kind"] == "leaf":
            g.node(nid, label, id=nid, style="rounded,filled", fillcolor=LEAF_FILL, width="2.1")
        elif nid == root:
            g.node(nid, label, id=nid, fillcolor=ROOT_FILL)
        else:
            g.node(nid, label, id=nid)
        for slot, (target, input_nr) in enumerate(node.get("next", [])):
            eid = edge_id(nid, slot)
            if target is None:
                none_id = f"none_{nid}_{slot}"
                g.node(none_id, "None", id=none_id, shape="plaintext", style="", fontsize="14",
                       fontcolor=NONE_COLOR)
                g.edge(nid, none_id, id=eid, style="dashed", color=NONE_COLOR, arrowhead="none")
            else:
                g.edge(nid, target, id=eid)
        if show_saved:
            for key, value in (node.get("saved") or {}).items():
                sid = f"saved_{nid}_{key}"
                text = key if not isinstance(value, dict) else f"{key}\n{shape_text(value.get('shape', []))}"
                if not isinstance(value, dict):
                    text += f" = {value}"
                g.node(sid, text, id=sid, shape="box", style="dashed,filled", fillcolor=SAVED_FILL,
                       fontsize="14", margin="0.6,0.08")  # room for the browser's wider digits
                g.edge(sid, nid, id=f"s_{sid}", style="dotted", arrowhead="none", color="#e8590c")
    return g.source


def inspector_html(node: dict | None, snapshot: dict) -> str:
    """Everything about one node, escaped (labels come from user-typed code)."""
    if not node:
        return "<div class='ts-inspector'><i>Click a node to inspect its value, grad, saved tensors and next_functions.</i></div>"
    e = html.escape
    names = {n["id"]: n["name"] for n in snapshot.get("nodes", [])}
    nexts = ", ".join(f"(&lt;{e(names.get(t, '?'))}&gt;, {nr})" if t else f"(None, {nr})"
                      for t, nr in node.get("next", []))
    parts = [f"<h3>{e(node['name'])}" + (f" &mdash; <code>{e(node['label'])}</code>" if node.get("label") else "")
             + "</h3>",
             f"<p>shape <code>{e(shape_text(node.get('shape') or []))}</code>, dtype <code>{e(str(node.get('dtype')))}</code></p>",
             f"<p><b>next_functions</b>: <code>({nexts}{',' if len(node.get('next', [])) == 1 else ''})</code></p>"]
    for title, summary in (("value", node.get("value")), ("grad", node.get("grad"))):
        parts.append(f"<p><b>{title}</b></p>" + _summary_block(summary))
    saved = node.get("saved") or {}
    if saved:
        parts.append("<p><b>saved tensors</b></p>")
        for key, value in saved.items():
            parts.append(f"<div><code>{e(key)}</code></div>" + _summary_block(value)
                         + _unsigned_note(value))
    return "<div class='ts-inspector'>" + "".join(parts) + "</div>"


def unsigned_meaning(value) -> str:
    """What the ints in a saved value that PyTorch shows as unsigned 64-bit stand for: a dim
    of -1 shows as 18446744073709551615, said as "18446744073709551615 is -1"."""
    if isinstance(value, dict):
        return ""
    found = sorted({n for n in map(int, re.findall(r"\b\d{19,20}\b", str(value))) if n >= 2 ** 63})
    return ", ".join(f"{n} is {n - 2 ** 64}" for n in found)


def _unsigned_note(value) -> str:
    said = unsigned_meaning(value)
    if not said:
        return ""
    return f"<div class='ts-stats'>PyTorch shows a negative int as unsigned 64-bit: {said}</div>"


def _summary_block(summary) -> str:
    if summary is None:
        return "<pre>None</pre>"
    if not isinstance(summary, dict):
        return f"<pre>{html.escape(str(summary))}</pre>"
    stats = ""
    if summary.get("min") is not None:
        stats = (f"<div class='ts-stats'>min {summary['min']:.4g} · max {summary['max']:.4g} · "
                 f"mean {summary['mean']:.4g} · norm {summary['norm']:.4g}</div>")
    return f"<pre>{html.escape(str(summary.get('text', '')))}</pre>{stats}"


def legend_html() -> str:
    rows = "".join(f"<div class='ts-legend-row'><span class='ts-swatch' style='{s}'></span>{html.escape(t)}</div>"
                   for s, t in LEGEND)
    return f"<div class='ts-legend'>{rows}</div>"


INSPECTOR_CSS = """
.ts-inspector { font-size: 16px; } .ts-inspector h3 { margin: 4px 0; font-size: 19px; }
.ts-inspector pre { font-size: 14px; background: #f8f9fa; padding: 6px; white-space: pre-wrap; max-height: 180px;
  overflow: auto; margin: 2px 0; }
.ts-stats { font-size: 13px; color: #495057; }
.ts-legend { font-size: 15px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.ts-legend-row { display: flex; align-items: center; gap: 6px; }
.ts-swatch { display: inline-block; width: 26px; height: 16px; }
"""


class GraphView(pn.viewable.Viewer):
    """Graph + legend + inspector for one trace snapshot."""

    snapshot = param.Dict(default={}, doc="engine.autograd.trace(...) output")
    show_saved = param.Boolean(default=False, label="Show saved tensors")
    paint = param.Dict(default={}, doc="Restyle frame passed to the canvas (no re-layout)")
    frames = param.List(default=[], doc="Step style deltas (see GraphCanvas); used instead of paint when set")
    frame = param.Integer(default=0, bounds=(0, None), doc="Step shown; follows the browser's canvas.frame")
    selected = param.String(default="")
    height = param.Integer(default=560, bounds=(200, None))

    def __init__(self, **params):
        super().__init__(**params)
        self.canvas = GraphCanvas(dot=self.dot(), paint=self.paint, sizing_mode="stretch_width",
                                  height=self.height)
        self.canvas.param.watch(lambda ev: setattr(self, "selected", ev.new), "selected")
        self.canvas.param.watch(lambda ev: setattr(self, "frame", ev.new), "frame")
        self._inspector = pn.pane.HTML(inspector_html(None, self.snapshot), stylesheets=[INSPECTOR_CSS],
                                       sizing_mode="stretch_width")
        self._legend = pn.pane.HTML(legend_html(), stylesheets=[INSPECTOR_CSS], sizing_mode="stretch_width")

    def dot(self) -> str:
        return build_dot(self.snapshot, self.show_saved) if self.snapshot else ""

    def node(self, node_id: str) -> dict | None:
        return next((n for n in self.snapshot.get("nodes", []) if n["id"] == node_id), None)

    @param.depends("snapshot", "show_saved", watch=True)
    def _relayout(self):
        dot = self.dot()
        if dot != self.canvas.dot:
            self.canvas.dot = dot
        if self.selected and self.node(self.selected) is None:
            self.selected = ""
        self._update_inspector()

    @param.depends("paint", watch=True)
    def _restyle(self):
        self.canvas.paint = self.paint

    @param.depends("frames", "frame", watch=True)
    def _step(self):
        self.canvas.param.update(frames=self.frames, frame=self.frame)

    @param.depends("selected", watch=True)
    def _update_inspector(self):
        self.canvas.selected = self.selected
        self._inspector.object = inspector_html(self.node(self.selected), self.snapshot)

    def __panel__(self):
        saved = pn.widgets.Checkbox.from_param(self.param.show_saved)
        return pn.Column(self.canvas, pn.Row(saved, self._legend, sizing_mode="stretch_width"),
                         self._inspector, sizing_mode="stretch_width")
