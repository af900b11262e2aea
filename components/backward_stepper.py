"""BackwardStepper: walk the backward pass one graph node at a time.

It consumes `engine.autograd.iter_backward` (the very generator `backward()` runs, so
the leaves end with backward()'s grads) once per graph, and turns each step into a small
style delta for GraphView: current node, edge gradients, leaf .grad, chain-rule formula
with numbers. All frames go to the browser with the graph, so Step, Back and Reset
restyle there with no server round trip (a click costs milliseconds, and stepping never
re-lays-out); the server's `position` follows the browser's frame.
"""
from __future__ import annotations

import html
import math

import panel as pn
import param

from components.graph_view import GraphCanvas, GraphView, edge_id, short_values, unsigned_meaning

DONE_FILL = "#fff4e6"
FORMULAS = {  # node name -> chain rule, in terms of the incoming `grad` and saved tensors
    "AddBackward0": ["grad_self = grad", "grad_other = grad × alpha"],
    "AddBackward1": ["grad_self = grad"],
    "SubBackward0": ["grad_self = grad", "grad_other = −grad × alpha"],
    "RsubBackward1": ["grad_self = −grad × alpha"],
    "MulBackward0": ["grad_self = grad × other", "grad_other = grad × self"],
    "DivBackward0": ["grad_self = grad / other", "grad_other = −grad × self / other²"],
    "PowBackward0": ["grad_self = grad × exponent × self^(exponent − 1)"],
    "SumBackward0": ["grad_self = grad expanded to self's shape"],
    "SumBackward1": ["grad_self = grad expanded along dim"],
    "MeanBackward0": ["grad_self = grad / numel, expanded to self's shape"],
    "MmBackward0": ["grad_self = grad @ mat2ᵀ", "grad_mat2 = selfᵀ @ grad"],
    "MvBackward0": ["grad_self = grad ⊗ vec", "grad_vec = selfᵀ @ grad"],
    "DotBackward0": ["grad_self = grad × tensor", "grad_tensor = grad × self"],
    "ExpBackward0": ["grad_self = grad × result"],
    "LogBackward0": ["grad_self = grad / self"],
    "TanhBackward0": ["grad_self = grad × (1 − result²)"],
    "SigmoidBackward0": ["grad_self = grad × result × (1 − result)"],
    "ReluBackward0": ["grad_self = grad × (result > 0)"],
    "NegBackward0": ["grad_self = −grad"],
    "SqrtBackward0": ["grad_self = grad / (2 × result)"],
    "TanBackward0": ["grad_self = grad × (1 + result²)"],
    "AtanBackward0": ["grad_self = grad / (1 + self²)"],
    "SinhBackward0": ["grad_self = grad × cosh(self)"],
    "CoshBackward0": ["grad_self = grad × sinh(self)"],
    "Log1PBackward0": ["grad_self = grad / (1 + self)"],
    "Expm1Backward0": ["grad_self = grad × (result + 1)"],
    "ErfBackward0": ["grad_self = grad × 2/√π × exp(−self²)"],
    "CumsumBackward0": ["grad_self = grad summed from the end back along dim"],
    "LogcumsumexpBackward0": ["grad_self[i] = Σ over j ≥ i of grad[j] × exp(self[i] − result[j])"],
    "AmaxBackward0": ["grad_self = grad shared evenly among the largest elements"],
    "AminBackward0": ["grad_self = grad shared evenly among the smallest elements"],
    "LogsumexpBackward0": ["grad_self = grad × exp(self − result)"],
    "SoftmaxBackward0": ["grad_self = result × (grad − Σ grad × result along dim)"],
    "LogSoftmaxBackward0": ["grad_self = grad − exp(result) × Σ grad along dim"],
    "TBackward0": ["grad_self = gradᵀ"],
    "SqueezeBackward0": ["grad_self = grad reshaped to self's shape"],
    "UnsqueezeBackward0": ["grad_self = grad squeezed back"],
    "MaskedFillBackward0": ["grad_self = grad, 0 where mask"],
    **{name: [f"grad_self = 0 ({op} is flat between its jumps)"] for name, op in (
        ("RoundBackward0", "round"), ("FloorBackward0", "floor"), ("CeilBackward0", "ceil"),
        ("TruncBackward0", "trunc"), ("SignBackward0", "sign"))},
    "AccumulateGrad": ["x.grad = x.grad + grad"],
}


def grad_colour(magnitude: float) -> tuple[str, float]:
    """Edge colour and width by |grad| on a log scale (1e-3 .. 1e3), stable across steps."""
    t = 0.0 if magnitude <= 0 or not math.isfinite(magnitude) else min(1.0, max(0.0, (math.log10(magnitude) + 3) / 6))
    low, high = (208, 191, 255), (95, 61, 196)
    rgb = "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high))
    return f"#{rgb}", round(2.0 + 6.0 * t, 2)


def tensor_summary(t) -> dict | None:
    """The bits of a Tensor the frames need: shape and up to 64 values."""
    if t is None:
        return None
    shape = list(t.shape)
    values = t.detach().reshape(-1)[:64].tolist() if shape else t.item()
    return {"shape": shape, "values": values}


def magnitude(summary) -> float:
    values = summary["values"]
    values = values if isinstance(values, list) else [values]
    return max((abs(v) for v in values), default=0.0)


def step_record(step) -> dict:
    """A plain-data copy of a BackwardStep (tensors summarised, so it can be saved)."""
    node = step.node
    leaf_name = None
    return {"index": step.index, "node_id": step.node_id, "name": node.name().split("::")[-1],
            "grad_outputs": [tensor_summary(g) for g in step.grad_outputs],
            "grad_inputs": [tensor_summary(g) for g in step.grad_inputs],
            "accumulated": tensor_summary(step.accumulated), "leaf_name": leaf_name}


def _saved_text(value) -> str:
    """A saved value as the formula line quotes it; an int PyTorch shows as unsigned 64-bit
    says what it stands for: ``dim = 18446744073709551615 (is -1)``."""
    if isinstance(value, dict):
        return short_values(value)
    said = unsigned_meaning(value)
    if not said:
        return str(value)
    return f"{value} (is {value - 2 ** 64})" if isinstance(value, int) else f"{value} ({said})"


def formula_html(record: dict, node: dict | None, total: int) -> str:
    e = html.escape
    name = record["name"]
    label = (node or {}).get("label")
    head = f"<b>Step {record['index'] + 1} of {total}: {e(name)}</b>" + (f" (<code>{e(label)}</code>)" if label else "")
    grad_in = short_values(record["grad_outputs"][0]) if record["grad_outputs"] else "None"
    lines = [f"incoming grad = <code>{e(grad_in)}</code>"]
    saved = {k.replace("_saved_", ""): v for k, v in ((node or {}).get("saved") or {}).items()}
    rules = FORMULAS.get(name, ["grad_inputs = local derivative × grad"])
    outs = record["grad_inputs"]
    for i, rule in enumerate(rules):
        text = rule.replace("x.grad", f"{label}.grad" if label else "x.grad")
        rhs = rule.split("=", 1)[-1]
        used = [f"{k} = {_saved_text(v)}" for k, v in saved.items() if k in rhs]
        if name == "AccumulateGrad":
            result = short_values(record["accumulated"])
        else:
            result = short_values(outs[i]) if i < len(outs) and outs[i] else "None (needs no grad)"
        where = f" with {e(', '.join(used))}" if used else ""
        lines.append(f"<code>{e(text)}</code>{where} → <code>{e(result)}</code>")
    return head + "<br>" + "<br>".join(lines)


def frames_from_records(records: list[dict], snapshot: dict) -> list[dict]:
    """Frame 0: nothing run yet. Frame k holds only what step k changes (see `compose`)."""
    nodes = {n["id"]: n for n in snapshot.get("nodes", [])}
    frames = [{"nodes": {}, "edges": {}, "current": "", "caption": "Press <b>Step</b> to run the first node of backward()."}]
    for record in records:
        nid = record["node_id"]
        style = {"fill": DONE_FILL}
        if record["accumulated"] is not None:
            style["grad"] = "grad: " + short_values(record["accumulated"])
        edges = {}
        for slot, grad in enumerate(record["grad_inputs"]):
            if grad is not None:
                colour, width = grad_colour(magnitude(grad))
                edges[edge_id(nid, slot)] = {"color": colour, "width": width, "label": short_values(grad, 3)}
        frames.append({"nodes": {nid: style}, "edges": edges, "current": nid,
                       "caption": formula_html(record, nodes.get(nid), len(nodes))})
    if records and len(records) >= len(nodes):
        frames[-1]["caption"] += "<br><i>Backward pass complete: leaf .grad values equal backward()'s.</i>"
    return frames


def compose(frames: list[dict], k: int) -> dict:
    """What frame k shows: the styles of steps 1..k, step k's highlight and caption
    (the same merge graph_canvas.js does in the browser)."""
    shown = {"nodes": {}, "edges": {}, "current": frames[k]["current"], "caption": frames[k]["caption"]}
    for frame in frames[:k + 1]:
        shown["nodes"].update(frame["nodes"])
        shown["edges"].update(frame["edges"])
    return shown


# Browser-side buttons: they move the canvas's frame directly; the server follows.
JS_STEP = "const d = canvas.data; d.frame = Math.min(d.frame + 1, d.frames.length - 1);"
JS_BACK = "const d = canvas.data; d.frame = Math.max(d.frame - 1, 0);"
JS_RESET = "canvas.data.frame = 0;"


class BackwardStepper(pn.viewable.Viewer):
    """Step, Back, Play/Pause, speed and Reset over a GraphView."""

    position = param.Integer(default=0, bounds=(0, None), doc="How many backward steps are shown")
    playing = param.Boolean(default=False)
    speed = param.Number(default=1.5, bounds=(0.25, 8), step=0.25, label="Speed (steps/s)")
    finished = param.Boolean(default=False, constant=True, doc="The last step is shown")
    error = param.String(default="", doc="Why backward cannot run (torch's wording)")

    def __init__(self, graph: GraphView, root, gradient=None, **params):
        super().__init__(**params)
        self.graph = graph
        self._callback = None
        self._status = pn.pane.Markdown("", margin=(0, 10))
        graph.param.watch(lambda ev: setattr(self, "position", ev.new), "frame")
        self.retarget(root, gradient)

    def retarget(self, root, gradient=None):
        """Step through a new graph (already in the GraphView) with the same widgets, so a
        typed change sends no new models to the browser: only the new frames."""
        self.playing = False
        self.root, self.gradient = root, gradient
        self.total = len(self.graph.snapshot.get("nodes", []))
        self.error = ""
        self.records = self._run_backward()
        self.frames = frames_from_records(self.records, self.graph.snapshot)
        self._status.object = f"<span style='color:#c92a2a'>{html.escape(self.error)}</span>" if self.error else ""
        with pn.io.hold():
            self.graph.param.update(frames=self.frames, frame=0)
            self.position = 0
        self._update_finished()

    def _run_backward(self) -> list[dict]:
        from engine.autograd import iter_backward  # engine only: components never import app
        records = []
        try:
            for step in iter_backward(self.root, self.gradient, retain_graph=True):
                records.append(step_record(step))
        except Exception as exc:  # e.g. non-scalar output without a gradient
            self.error = f"{type(exc).__name__}: {exc}"
        return records

    @property
    def last(self) -> int:
        return len(self.frames) - 1

    @property
    def shown(self) -> dict:
        """The frame on screen: styles of every step so far, the current one highlighted."""
        return compose(self.frames, min(self.position, self.last))

    def step(self):
        self.position = min(self.position + 1, self.last)

    def back(self):
        self.position = max(self.position - 1, 0)

    def reset(self):
        self.playing = False
        self.position = 0

    def run_to_end(self):
        self.position = self.last

    @param.depends("position", watch=True)
    def _show(self):
        if self.position > self.last:
            self.position = self.last
            return
        self.graph.frame = self.position
        self._update_finished()

    def _update_finished(self):
        with param.edit_constant(self):
            self.finished = self.position >= self.last and bool(self.records)

    # --- play -----------------------------------------------------------------
    @param.depends("playing", "speed", watch=True)
    def _schedule(self):
        if self._callback is not None:
            self._callback.stop()
            self._callback = None
        if self.playing:
            if self.position >= self.last:
                self.position = 0
            self._callback = pn.state.add_periodic_callback(self._tick, period=int(1000 / self.speed))

    def _tick(self):
        if self.position >= self.last:
            self.playing = False
        else:
            self.step()

    # --- view -----------------------------------------------------------------
    def __panel__(self):
        buttons = []
        for label, code in (("Step", JS_STEP), ("Back", JS_BACK), ("Reset", JS_RESET)):
            button = pn.widgets.Button(label=label, color="primary" if label == "Step" else "default",
                                       width=90, height=40)
            button.js_on_click(args={"canvas": self.graph.canvas}, code=code)
            buttons.append(button)
        buttons[-1].on_click(lambda _event: setattr(self, "playing", False))
        play = pn.widgets.Toggle.from_param(self.param.playing, name="Play / Pause", width=120, height=40)
        speed = pn.widgets.FloatSlider.from_param(self.param.speed, width=180)
        return pn.Row(*buttons, play, speed, self._status, sizing_mode="stretch_width")

    def standalone(self, title: str = "tapescope backward pass"):
        """A layout that steps through the precomputed frames with no Python (saved HTML)."""
        canvas = GraphCanvas(dot=self.graph.canvas.dot, frames=self.frames, frame=0,
                             sizing_mode="stretch_width", height=self.graph.height)
        player = pn.widgets.Player(start=0, end=self.last, value=0,
                                   loop_policy="once", interval=800, width=520, show_value=True)
        player.jslink(canvas, code={"value": "target.data.frame = source.value"})
        return pn.Column(pn.pane.Markdown(f"## {html.escape(title)}"), player, canvas,
                         sizing_mode="stretch_width")
