"""BackwardStepper at the param level, on the real engine's backward generator."""
import engine as torch
from components.backward_stepper import BackwardStepper, frames_from_records, grad_colour
from components.graph_view import GraphView
from engine.autograd import trace


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
        seen.append(names[stepper.shown["current"]])
        assert view.canvas.frame == stepper.position
    assert seen == ["SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad"]
    assert stepper.finished


def test_leaf_grads_equal_backward_and_show_on_the_leaf():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    stepper.run_to_end()
    assert x.grad.tolist() == [3.0] * 21
    leaf = next(n["id"] for n in view.snapshot["nodes"] if n["kind"] == "leaf")
    assert stepper.shown["nodes"][leaf]["grad"].startswith("grad: [3., 3.")
    x2 = torch.linspace(0, 2, steps=21, requires_grad=True)
    (3 * x2 + 2).sum().backward()
    assert x.grad.tolist() == x2.grad.tolist()


def test_back_and_reset_restore_earlier_frames():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    stepper.step(); stepper.step()
    second = stepper.shown
    stepper.step()
    stepper.back()
    assert stepper.shown == second and view.canvas.frame == 2
    stepper.run_to_end()
    stepper.reset()
    assert stepper.position == 0 and stepper.shown["current"] == "" and view.canvas.frame == 0
    assert stepper.shown["nodes"] == {} and stepper.shown["edges"] == {}
    stepper.run_to_end()
    assert x.grad.tolist() == [3.0] * 21     # not 6s: backward ran once, stepping only replays it


def test_browser_frame_moves_the_server_position_and_frames_are_deltas():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    assert view.canvas.frames == stepper.frames and len(stepper.frames) == 5
    assert all(len(f["nodes"]) == 1 for f in stepper.frames[1:])   # each step sends only its own change
    view.canvas.frame = 3                  # what a click on Step does in the browser
    assert stepper.position == 3 and stepper.shown["current"] == stepper.frames[3]["current"]
    assert len(stepper.shown["nodes"]) == 3
    y = x * 2
    stepper.retarget(y.sum())              # a typed change: new frames, back to the start
    assert stepper.position == 0 and view.canvas.frame == 0 and not stepper.finished


def test_edges_carry_gradients_and_formula_has_numbers():
    x, out, view = lecture_graph()
    stepper = BackwardStepper(view, out)
    stepper.position = 3
    frame = stepper.shown
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


def test_formula_says_what_an_unsigned_saved_dim_stands_for():
    x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    out = (x.softmax(-1) * torch.tensor([1.0, 2.0, 3.0])).sum(-1).sum()
    stepper = BackwardStepper(GraphView(snapshot=trace(out, names={"x": x})), out)
    captions = []
    while not stepper.finished:
        stepper.step()
        captions.append(stepper.shown["caption"])
    softmax = next(c for c in captions if "SoftmaxBackward0" in c)
    assert "dim = 18446744073709551615 (is -1)" in softmax
    summed = next(c for c in captions if "SumBackward1" in c)
    assert "dim = (18446744073709551615,) (18446744073709551615 is -1)" in summed
