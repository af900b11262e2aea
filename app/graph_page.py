"""The graph lab page: typed code -> live grad_fn graph -> step through backward.

One GraphLab per browser session. Typing re-evaluates after a short pause (debounce);
invalid code keeps the last good graph and shows a short inline message. Each change
reaches the browser as one message: the new DOT (only if the structure changed), the
backward pass's step frames and the status line.
"""
from __future__ import annotations

import html
import io
import json
import logging
from typing import ClassVar

import panel as pn
import param

import engine
from app.evaluator import EvalError, evaluate
from app.presets import DEFAULT_PRESET, PRESETS
from components.backward_stepper import BackwardStepper
from components.graph_view import GraphView

log = logging.getLogger(__name__)
DEBOUNCE_MS = 60
ERROR_CSS = """
.ts-error { color: #c92a2a; background: #fff5f5; border: 1px solid #ffa8a8; border-radius: 6px;
            padding: 6px 10px; font-size: 16px; }
.ts-ok { color: #2b8a3e; font-size: 15px; padding: 6px 2px; }
"""


def snapshot_for(result) -> dict:
    from engine.autograd import trace
    names = {k: v for k, v in result.namespace.items() if isinstance(v, engine.Tensor)}
    return trace(result.root, names=names)


class CodeBox(pn.widgets.TextAreaInput):
    """The code box. Panel holds every browser change for 50 ms before handling it; keystrokes
    skip that wait, since GraphLab debounces them itself (DEBOUNCE_MS)."""

    _priority_changes: ClassVar[list[str]] = ["value_input"]


class GraphLab(pn.viewable.Viewer):
    code = param.String(default=PRESETS[DEFAULT_PRESET])
    preset = param.Selector(objects=list(PRESETS), default=DEFAULT_PRESET)
    error = param.String(default="")

    def __init__(self, **params):
        super().__init__(**params)
        self.graph = GraphView(height=560)
        self.stepper = None
        self.result = None
        self._pending = None
        self.editor = CodeBox(value=self.code, height=190, sizing_mode="stretch_width",
                              max_length=1200, label="Code (import engine as torch)",
                              stylesheets=[".bk-input { font-family: monospace; font-size: 16px; }"])
        self.editor.param.watch(self._typed, "value_input")
        self.editor.param.watch(lambda ev: setattr(self, "code", ev.new), "value")
        self._message = pn.pane.HTML("", stylesheets=[ERROR_CSS], sizing_mode="stretch_width")
        self._stepper_row = pn.Column(sizing_mode="stretch_width")
        self._download = pn.widgets.FileDownload(callback=self._snapshot_json, filename="graph.json",
                                                 label="Download snapshot (JSON)", color="light",
                                                 width=230, embed=False)
        self.refresh()

    # --- evaluation -----------------------------------------------------------
    def _typed(self, event):
        doc = pn.state.curdoc
        if doc is None or doc.session_context is None:
            self.code = event.new
            return
        if self._pending is not None:
            try:
                doc.remove_timeout_callback(self._pending)
            except ValueError:
                pass
        text = event.new
        self._pending = doc.add_timeout_callback(lambda: self._apply_typed(text), DEBOUNCE_MS)

    def _apply_typed(self, text):
        self._pending = None
        self.code = text

    @param.depends("preset", watch=True)
    def _load_preset(self):
        self.editor.value = PRESETS[self.preset]
        self.code = PRESETS[self.preset]

    @param.depends("code", watch=True)
    def refresh(self):
        try:
            result = evaluate(self.code)
            if result.root is None:
                raise EvalError("nothing to draw yet: make a tensor with requires_grad=True and compute with it")
            snapshot = snapshot_for(result)
        except EvalError as exc:
            self._fail(str(exc))
            return
        except Exception as exc:  # never let an engine bug take the session down
            log.info("graph lab: %s", type(exc).__name__)
            self._fail(f"{type(exc).__name__}: {str(exc)[:200]}")
            return
        self.result = result
        self.error = ""
        with pn.io.hold():
            self._message.object = (f"<div class='ts-ok'>Graph of <code>{html.escape(result.root_name)}</code>: "
                                    f"{len(snapshot['nodes'])} nodes. Click a node to inspect it.</div>")
            self.graph.snapshot = snapshot
            if self.stepper is None:
                self.stepper = BackwardStepper(self.graph, result.root, result.gradient)
                self._stepper_row[:] = [self.stepper]
            else:
                self.stepper.retarget(result.root, result.gradient)

    def _fail(self, message: str):
        self.error = message
        kept = " (showing the last good graph)" if self.graph.snapshot else ""
        self._message.object = f"<div class='ts-error'>\u26a0 {html.escape(message)}{kept}</div>"

    def _snapshot_json(self):
        return io.StringIO(json.dumps(self.graph.snapshot, indent=1))

    def __panel__(self):
        preset = pn.widgets.Select.from_param(self.param.preset, name="Lecture example", width=320)
        intro = pn.pane.Markdown(
            "Type PyTorch code (`torch` is tapescope's engine). The graph shows `grad_fn` nodes with "
            "PyTorch's names; **Step** runs `backward()` one node at a time.", sizing_mode="stretch_width")
        left = pn.Column(intro, preset, self.editor, self._message, self._download, width=430)
        right = pn.Column(self._stepper_row, self.graph, sizing_mode="stretch_width")
        return pn.Row(left, right, sizing_mode="stretch_width")


def graph_page() -> GraphLab:
    return GraphLab()
