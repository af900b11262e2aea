"""The graph lab page at the param level: presets, live re-evaluation, last good graph."""
import pytest

from app.graph_page import GraphLab
from app.presets import PRESETS

EXPECTED = {
    "y = 3x + 2, out = y.sum()": {"SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad"},
    "y = m*x + 2, y.backward(ones)": {"AddBackward0", "MulBackward0", "AccumulateGrad"},
    "f(x, y) = 3x + 1 + 2y² + xy": {"AddBackward0", "MulBackward0", "PowBackward0", "AccumulateGrad"},
    "linear regression loss": {"SumBackward0", "PowBackward0", "SubBackward0", "MmBackward0", "AccumulateGrad"},
}


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_draws_its_graph_and_steps_to_the_end(preset):
    lab = GraphLab()
    lab.preset = preset
    assert {n["name"] for n in lab.graph.snapshot["nodes"]} == EXPECTED[preset]
    assert lab.error == ""
    lab.stepper.run_to_end()
    assert lab.stepper.error == "" and lab.stepper.finished


def test_lecture_grads_after_stepping():
    lab = GraphLab()
    lab.stepper.run_to_end()
    assert lab.result.namespace["x"].grad.tolist() == [3.0] * 21
    lab.preset = "y = m*x + 2, y.backward(ones)"
    lab.stepper.run_to_end()
    ns = lab.result.namespace
    assert ns["m"].grad.tolist() == ns["x"].tolist() and ns["x"].grad.tolist() == ns["m"].tolist()


def test_invalid_code_keeps_last_good_graph_with_message():
    lab = GraphLab()
    good = lab.graph.snapshot
    lab.code = "x = torch.ones(2, requires_grad=True)\ny = x.__class__"
    assert "'_'" in lab.error and lab.graph.snapshot is good
    assert "last good graph" in lab._message.object
    lab.code = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()"
    assert lab.error == "" and len(lab.graph.snapshot["nodes"]) == 3


def test_code_without_graph_is_explained():
    lab = GraphLab()
    lab.code = "a = torch.ones(3)"
    assert "requires_grad" in lab.error


def test_snapshot_json_download():
    import json
    lab = GraphLab()
    data = json.loads(lab._snapshot_json().read())
    assert data["root"] and {n["name"] for n in data["nodes"]} >= {"SumBackward0"}
