"""BackwardStepper: walk the backward pass one graph node at a time.

It consumes `engine.autograd.iter_backward` lazily (one `next()` per Step), turns each
step into a restyle frame for GraphView (current node, edge gradients, leaf .grad,
chain-rule formula with numbers), and caches the frames so Back is instant. Because it
runs the very generator `backward()` runs, the leaves end with backward()'s grads.
"""
from __future__ import annotations

import html
import math
import weakref

import panel as pn
import param

from components.graph_view import GraphCanvas, GraphView, edge_id, short_values

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
    "TBackward0": ["grad_self = gradᵀ"],
    "SqueezeBackward0": ["grad_self = grad reshaped to self's shape"],
    "UnsqueezeBackward0": ["grad_self = grad squeezed back"],
    "AccumulateGrad": ["x.grad = x.grad + grad"],
}


def _close_guarded(generator) -> None:
    import engine
    prev = engine.is_grad_enabled()
    try:
        generator.close()
    finally:
        engine.set_grad_enabled(prev)


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
        used = [f"{k} = {short_values(v) if isinstance(v, dict) else v}" for k, v in saved.items() if k in rhs]
        if name == "AccumulateGrad":
            result = short_values(record["accumulated"])
        else:
            result = short_values(outs[i]) if i < len(outs) and outs[i] else "None (needs no grad)"
        where = f" with {e(', '.join(used))}" if used else ""
        lines.append(f"<code>{e(text)}</code>{where} → <code>{e(result)}</code>")
    return head + "<br>" + "<br>".join(lines)


def frames_from_records(records: list[dict], snapshot: dict) -> list[dict]:
    """Frame k shows the graph after k backward steps (frame 0: nothing run yet)."""
    nodes = {n["id"]: n for n in snapshot.get("nodes", [])}
    frames = [{"nodes": {}, "edges": {}, "current": "", "caption": "Press <b>Step</b> to run the first node of backward()."}]
    for record in records:
        prev = frames[-1]
        frame = {"nodes": dict(prev["nodes"]), "edges": dict(prev["edges"]), "current": record["node_id"]}
        nid = record["node_id"]
        style = {"fill": DONE_FILL}
        if record["accumulated"] is not None:
            style["grad"] = "grad: " + short_values(record["accumulated"])
        frame["nodes"][nid] = style
        for slot, grad in enumerate(record["grad_inputs"]):
            if grad is not None:
                colour, width = grad_colour(magnitude(grad))
                frame["edges"][edge_id(nid, slot)] = {"color": colour, "width": width, "label": short_values(grad, 3)}
        frame["caption"] = formula_html(record, nodes.get(nid), len(nodes))
        frames.append(frame)
    if records and len(records) >= len(nodes):
        frames[-1]["caption"] += "<br><i>Backward pass complete: leaf .grad values equal backward()'s.</i>"
    return frames


class BackwardStepper(pn.viewable.Viewer):
    """Step, Back, Play/Pause, speed and Reset over a GraphView."""

    position = param.Integer(default=0, bounds=(0, None), doc="How many backward steps are shown")
    playing = param.Boolean(default=False)
    speed = param.Number(default=1.5, bounds=(0.25, 8), step=0.25, label="Speed (steps/s)")
    finished = param.Boolean(default=False, constant=True)
    error = param.String(default="", doc="Why backward cannot run (torch's wording)")

    def __init__(self, graph: GraphView, root, gradient=None, **params):
        super().__init__(**params)
        self.graph, self.root, self.gradient = graph, root, gradient
        self.total = len(graph.snapshot.get("nodes", []))
        self.records: list[dict] = []
        self.frames = frames_from_records([], graph.snapshot)
        self._leaves: list = []
        self._steps = None
        self._callback = None
        self._status = pn.pane.Markdown("", margin=(0, 10))
        self._show()

    # --- stepping -------------------------------------------------------------
    def _generator(self):
        if self._steps is None:
            from engine.autograd import iter_backward   # engine only: components never import app
            self._steps = iter_backward(self.root, self.gradient, retain_graph=True)
            # A generator dropped mid-way restores a stale grad mode when it is finally
            # collected; close it ourselves, under a guard, instead of leaving that to GC.
            self._finalizer = weakref.finalize(self, _close_guarded, self._steps)
        return self._steps

    def close(self):
        """Finish with the current generator (call when this stepper is replaced)."""
        if self._steps is not None:
            self._finalizer()
            self._steps = None

    def _advance_to(self, position: int) -> None:
        while len(self.records) < position and not self.finished:
            try:
                step = self._next_step()
            except Exception as exc:  # e.g. non-scalar output without a gradient
                self.error = f"{type(exc).__name__}: {exc}"
                break
            if step is None:
                with param.edit_constant(self):
                    self.finished = True
                break
            if getattr(step.node, "variable", None) is not None:
                self._leaves.append(step.node.variable)
            self.records.append(step_record(step))
            self.frames = frames_from_records(self.records, self.graph.snapshot)
        if len(self.records) >= self.total:
            with param.edit_constant(self):
                self.finished = True

    def _next_step(self):
        """One next() on the generator, without leaking its grad mode.

        iter_backward holds `set_grad_enabled(False)` across its yields, so while it is
        suspended between Step clicks the server thread (shared by every session) would
        build no graphs. Give the generator its mode only while it runs.
        """
        import engine
        prev = engine.is_grad_enabled()
        engine.set_grad_enabled(False)
        try:
            step = next(self._generator(), None)
            if step is not None and len(self.records) + 1 >= self.total:
                next(self._steps, None)   # run to completion so the generator closes cleanly
            return step
        finally:
            engine.set_grad_enabled(prev)

    def step(self):
        self.position = min(self.position + 1, self.total)

    def back(self):
        self.position = max(self.position - 1, 0)

    def reset(self):
        """Back to the start; leaf grads cleared so a re-run accumulates from zero."""
        self.playing = False
        for leaf in self._leaves:
            leaf.grad = None
        self.close()
        self._leaves, self.records = [], []
        self.frames = frames_from_records([], self.graph.snapshot)
        with param.edit_constant(self):
            self.finished = False
        if self.position == 0:
            self._show()
        self.position = 0

    def retarget(self, root, gradient=None):
        """Step through a new graph (already in the GraphView) with the same widgets, so a
        typed change sends no new models to the browser."""
        self.playing = False
        self.close()
        self.root, self.gradient = root, gradient
        self.total = len(self.graph.snapshot.get("nodes", []))
        self._leaves, self.records, self.error = [], [], ""
        self.frames = frames_from_records([], self.graph.snapshot)
        with param.edit_constant(self):
            self.finished = False
        if self.position == 0:
            self._show()
        self.position = 0

    def run_to_end(self):
        self.position = self.total

    @param.depends("position", watch=True)
    def _show(self):
        self._advance_to(self.position)
        shown = min(self.position, len(self.frames) - 1)
        self.graph.paint = self.frames[shown]
        self._status.object = f"**step {shown} / {self.total}**" + (
            f"<br><span style='color:#c92a2a'>{html.escape(self.error)}</span>" if self.error else "")

    # --- play -----------------------------------------------------------------
    @param.depends("playing", "speed", watch=True)
    def _schedule(self):
        if self._callback is not None:
            self._callback.stop()
            self._callback = None
        if self.playing:
            if self.position >= self.total:
                self.position = 0
            self._callback = pn.state.add_periodic_callback(self._tick, period=int(1000 / self.speed))

    def _tick(self):
        if self.position >= self.total:
            self.playing = False
        else:
            self.step()

    # --- view -----------------------------------------------------------------
    def __panel__(self):
        buttons = []
        for label, action in (("Step", self.step), ("Back", self.back), ("Reset", self.reset)):
            button = pn.widgets.Button(name=label, button_type="primary" if label == "Step" else "default",
                                       width=90, height=40)
            button.on_click(lambda _event, fn=action: fn())
            buttons.append(button)
        play = pn.widgets.Toggle.from_param(self.param.playing, name="Play / Pause", width=120, height=40)
        speed = pn.widgets.FloatSlider.from_param(self.param.speed, width=180)
        return pn.Row(*buttons, play, speed, self._status, sizing_mode="stretch_width")

    def standalone(self, title: str = "tapescope backward pass"):
        """A layout that steps through precomputed frames with no Python (for saved HTML)."""
        self.run_to_end()
        canvas = GraphCanvas(dot=self.graph.canvas.dot, frames=self.frames, frame=0,
                             sizing_mode="stretch_width", height=self.graph.height)
        player = pn.widgets.Player(start=0, end=len(self.frames) - 1, value=0,
                                   loop_policy="once", interval=800, width=520, show_value=True)
        player.jslink(canvas, code={"value": "target.data.frame = source.value"})
        return pn.Column(pn.pane.Markdown(f"## {html.escape(title)}"), player, canvas,
                         sizing_mode="stretch_width")
