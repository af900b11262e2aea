"""A notebook shows GraphView + BackwardStepper inline (jupyter nbconvert --execute)."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CELLS = [
    "import sys; sys.path.insert(0, %r)\nimport panel as pn\npn.extension()" % str(REPO),
    "import engine as torch\nfrom engine.autograd import trace\n"
    "from components.graph_view import GraphView\nfrom components.backward_stepper import BackwardStepper\n"
    "x = torch.linspace(0, 2, steps=21, requires_grad=True)\ny = 3*x + 2\nout = y.sum()\n"
    "view = GraphView(snapshot=trace(out, names={'x': x, 'y': y, 'out': out}))\n"
    "stepper = BackwardStepper(view, out)\npn.Column(stepper, view)",
]


@pytest.mark.skipif(importlib.util.find_spec("nbconvert") is None, reason="nbconvert not installed")
def test_notebook_output_holds_the_component(tmp_path):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None}
                    for c in CELLS],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "graph.ipynb"
    path.write_text(json.dumps(nb))
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                    str(path)], check=True, timeout=240, capture_output=True)
    outputs = json.loads(path.read_text())["cells"][1]["outputs"]
    text = json.dumps(outputs)
    assert "application/vnd.holoviews_exec.v0+json" in text
    assert "GraphCanvas" in text and "SumBackward0" in text
