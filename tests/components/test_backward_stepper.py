"""BackwardStepper at the param level, on the real engine's backward generator."""
import engine as torch
from engine.autograd import trace

from components.backward_stepper import BackwardStepper, frames_from_records, grad_colour
from components.graph_view import GraphView


def lecture_graph():
    x = torch.linspace(0, 2, steps=21, requires_grad=True)
    y = 3 * x + 2
    out = y.sum()
    view = GraphView(snapshot=trace(out, names={"x": x, "y": y, "out": out}))
    return x, out, view


def test_highlight_moves_one_node_per_step_in_backward_order():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    names = {n["id"]: n["name"] for n in view.snapshot["nodes"]}
    seen = []
    for _ in range(4):
        stepper.step()
        seen.append(names[view.paint["current"]])
    assert seen == ["SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad"]
    assert stepper.finished


def test_leaf_grads_equal_backward_and_show_on_the_leaf():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    stepper.run_to_end()
    assert x.grad.tolist() == [3.0] * 21
    leaf = next(n["id"] for n in view.snapshot["nodes"] if n["kind"] == "leaf")
    assert view.paint["nodes"][leaf]["grad"].startswith("grad: [3., 3.")
    x2 = torch.linspace(0, 2, steps=21, requires_grad=True)
    (3 * x2 + 2).sum().backward()
    assert x.grad.tolist() == x2.grad.tolist()


def test_back_and_reset_restore_earlier_frames_and_clear_grads():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    stepper.step(); stepper.step()
    second = view.paint
    stepper.step()
    stepper.back()
    assert view.paint == second
    stepper.run_to_end()
    stepper.reset()
    assert stepper.position == 0 and view.paint["current"] == "" and x.grad is None
    stepper.run_to_end()
    assert x.grad.tolist() == [3.0] * 21     # not 6s: reset really starts over


def test_edges_carry_gradients_and_formula_has_numbers():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    stepper.position = 3
    frame = view.paint
    labels = [e["label"] for e in frame["edges"].values()]
    assert "[3., 3., 3., \u2026]" in labels and "[1., 1., 1., \u2026]" in labels
    assert "grad_self = grad × other" in frame["caption"] and "other = 3" in frame["caption"]


def test_explicit_gradient_and_non_scalar_error():
    x = torch.linspace(0, 2, steps=5, requires_grad=True)
    m = torch.ones(5, requires_grad=True)
    y = m * x + 2
    view = GraphView(snapshot=trace(y, names={"x": x, "m": m, "y": y}))
    BackwardStepper(view, y, torch.ones(5)).run_to_end()
    assert m.grad.tolist() == x.tolist()
    y2 = m * x
    failing = BackwardStepper(GraphView(snapshot=trace(y2)), y2)
    failing.step()
    assert "scalar" in failing.error


def test_grad_colour_is_monotone_and_finite_safe():
    assert grad_colour(float("nan"))[1] == 2.0
    assert grad_colour(1e-6)[1] < grad_colour(1.0)[1] < grad_colour(1e6)[1]


def test_standalone_frames_precomputed():
    x, out, view = lecture_graph()
    layout = BackwardStepper(view, out).standalone()
    assert len(frames_from_records([], view.snapshot)) == 1
    canvas = layout[2]
    assert len(canvas.frames) == 5 and canvas.dot
