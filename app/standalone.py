"""Save a graph with its backward stepper as one HTML file that works offline (slides)."""
from __future__ import annotations

from pathlib import Path

from bokeh.resources import INLINE

from app.evaluator import EvalError, evaluate
from app.graph_page import snapshot_for
from components.backward_stepper import BackwardStepper
from components.graph_view import GraphView


def save_standalone(code: str, path: str | Path, title: str = "tapescope: backward pass") -> Path:
    result = evaluate(code)
    if result.root is None:
        raise EvalError("the code builds no graph")
    view = GraphView(snapshot=snapshot_for(result))
    layout = BackwardStepper(view, result.root, result.gradient).standalone(title)
    path = Path(path)
    layout.save(str(path), resources=INLINE, title=title)
    return path
