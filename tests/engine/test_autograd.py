"""The backward generator, ``trace``, deep graphs and memory.

``iter_backward`` is the one backward pass: ``Tensor.backward()`` exhausts it and the
visualizer steps through it, so these tests pin down what each step reports.
"""
import gc
import json
import math
import threading
import warnings
import weakref

import numpy as np
import pytest

import engine as torch
from engine.autograd import AccumulateGrad, iter_backward, node_id, trace


def small_graph():
    """loss = sum((x * w + b).tanh()) with w used twice (a diamond)."""
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    w = torch.tensor([1.5, 0.25, -0.5], requires_grad=True)
    b = torch.tensor(0.1, requires_grad=True)
    h = (x * w + b).tanh() * w
    return (x, w, b), h.sum()


def reachable(root):
    seen, stack = [], [root]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.append(node)
        stack.extend(n for n, _ in node.next_functions)
    return seen


def test_one_step_per_node_in_dependency_order():
    _, loss = small_graph()
    nodes = reachable(loss.grad_fn)
    steps = list(iter_backward(loss))
    executed = [s.node for s in steps]
    assert sorted(map(id, executed)) == sorted(map(id, nodes))
    position = {id(n): i for i, n in enumerate(executed)}
    for node in executed:  # every node runs after all the nodes that feed it a gradient
        for nxt, _ in node.next_functions:
            if nxt is not None:
                assert position[id(node)] < position[id(nxt)]
    assert [s.index for s in steps] == list(range(len(steps)))


def test_step_records_grads_in_and_out():
    (x, w, b), loss = small_graph()
    for step in iter_backward(loss):
        assert len(step.grad_outputs) == 1
        assert step.node_id == node_id(step.node)
        if isinstance(step.node, AccumulateGrad):
            assert step.grad_inputs == ()
            assert step.accumulated is step.node.variable._grad
            assert step.grad_outputs[0].shape == step.node.variable.shape
        else:
            assert len(step.grad_inputs) == len(step.node.next_functions)
            for (nxt, _), g in zip(step.node.next_functions, step.grad_inputs):
                assert (g is None) == (nxt is None)
    h = np.tanh(x.detach().numpy() * w.detach().numpy() + b.item())  # by hand
    assert np.allclose(b.grad.numpy(), ((1 - h ** 2) * w.detach().numpy()).sum())


def test_nll_loss_takes_its_target_as_a_parameter_not_an_input():
    """As in PyTorch, NllLossBackward0 has one ``next_functions`` slot, and its step and its
    post-hooks see one gradient."""
    logits = torch.tensor([[1.0, 2.0, 0.5]], requires_grad=True)
    loss = torch.nn.functional.nll_loss(logits.log_softmax(1), torch.tensor([1]))
    seen = []
    loss.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(grad_inputs))
    step = next(iter_backward(loss))
    assert step.node.name() == "NllLossBackward0"
    assert [n.name() for n, _ in step.node.next_functions] == ["LogSoftmaxBackward0"]
    assert len(step.grad_inputs) == 1 and len(seen[0]) == 1


def test_first_step_is_the_root_with_the_seed_gradient():
    _, loss = small_graph()
    first = next(iter_backward(loss))
    assert first.node is loss.grad_fn
    assert first.grad_outputs[0].item() == 1.0


def test_stepping_to_the_end_gives_what_backward_gives():
    leaves, loss = small_graph()
    list(iter_backward(loss))
    stepped = [t.grad.numpy().copy() for t in leaves]
    leaves2, loss2 = small_graph()
    loss2.backward()
    for a, b in zip(stepped, leaves2):
        np.testing.assert_array_equal(a, b.grad.numpy())


def test_autograd_backward_takes_any_iterable_of_outputs_and_gradients():
    x = torch.ones(3, requires_grad=True)
    outputs = (y.sum() for y in (x, x * 2))
    torch.autograd.backward(outputs, iter([torch.tensor(1.0), torch.tensor(2.0)]))
    assert x.grad.tolist() == [5.0, 5.0, 5.0]


def test_abandoning_halfway_leaves_the_graph_usable():
    leaves, loss = small_graph()
    steps = iter_backward(loss, retain_graph=True)
    next(steps)
    next(steps)
    steps.close()
    assert all(t.grad is None for t in leaves)  # no leaf was reached yet
    loss.backward()
    leaves2, loss2 = small_graph()
    loss2.backward()
    for a, b in zip(leaves, leaves2):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_a_paused_stepper_leaves_its_threads_grad_mode_alone():
    _, loss = small_graph()
    steps = iter_backward(loss, retain_graph=True)
    next(steps)
    assert torch.is_grad_enabled()  # backward's own mode (off) is not left behind
    with torch.no_grad():
        next(steps)
        assert not torch.is_grad_enabled()
    steps.close()  # closing while paused restores nothing stale
    assert torch.is_grad_enabled()
    with torch.no_grad():
        steps = iter_backward(loss, retain_graph=True)
        next(steps)
    torch.set_grad_enabled(True)
    steps.close()
    assert torch.is_grad_enabled()


def test_inference_mode_in_one_thread_leaves_another_threads_tensors_alone():
    """While a thread is in inference mode, tensors made in another thread are normal and
    its graphs record; once the block closes, the fast path that skips the check is back."""
    inside, release = threading.Event(), threading.Event()

    def infer():
        with torch.inference_mode():
            made = torch.ones(2)
            inside.set()
            release.wait(10)
        return made.is_inference()

    worker = threading.Thread(target=lambda: results.append(infer()))
    results = []
    worker.start()
    assert inside.wait(10)
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    assert not torch.is_inference_mode_enabled() and not y.is_inference()
    assert y.grad_fn is not None and y._version == 0
    release.set()
    worker.join()
    assert results == [True]
    assert torch.autograd.grad_mode._inference_blocks == [0]


@pytest.fixture(params=["context variable", "np.errstate"])
def numpy_settings(request, monkeypatch):
    """``engine.backend.quiet`` sets numpy's context variable directly, or falls back on
    ``np.errstate``: a test taking this fixture runs with each."""
    if request.param == "np.errstate":
        monkeypatch.setattr(torch.backend, "_extobj_contextvar", None)


def in_new_thread(fn):
    """``fn()`` run in a new thread, whose numpy warns (as a new thread's does), with
    warnings raised as errors."""
    outcome = {}

    def run():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                outcome["value"] = fn()
        except Exception as e:  # noqa: BLE001 - raised again in the test's thread
            outcome["error"] = e

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_backward_in_any_thread_computes_infinities_silently(numpy_settings):
    """numpy's warning settings are per thread; backward keeps them off in every thread,
    and gives a paused stepper's thread its own settings back."""
    def divide_by_zero():
        a = torch.tensor([1.0, 0.0], requires_grad=True)
        b = torch.tensor([0.0, 0.0], requires_grad=True)
        steps = iter_backward((a / b).sum())
        next(steps)
        while_paused = np.geterr()["divide"]
        list(steps)
        return while_paused, a.grad.tolist(), b.grad.tolist()

    while_paused, grad_a, grad_b = in_new_thread(divide_by_zero)
    assert while_paused == "warn"  # the thread's own setting while the stepper is paused
    assert grad_a == [math.inf, math.inf]
    assert grad_b[0] == -math.inf and math.isnan(grad_b[1])


def test_a_square_overflows_to_inf_silently_in_any_thread(numpy_settings):
    """``x ** 2`` skips ``quiet`` where the thread ignores numpy's warnings already; in a new
    thread, which warns, creating and squaring still overflow silently, and leave the
    thread's settings alone."""
    def overflow():
        return (torch.tensor([1e40, 2.0]).tolist(),  # too large for float32
                (torch.tensor([1e200, 2.0], dtype=torch.float64) ** 2).tolist(),
                np.geterr()["over"])

    assert in_new_thread(overflow) == ([math.inf, 2.0], [math.inf, 4.0], "warn")


def test_without_retain_graph_a_second_pass_fails_with_pytorchs_error():
    _, loss = small_graph()
    list(iter_backward(loss))
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second"):
        loss.backward()


def test_trace_is_json_and_matches_the_graph():
    (x, w, b), loss = small_graph()
    snapshot = trace(loss, names={"x": x, "w": w, "b": b, "loss": loss})
    json.loads(json.dumps(snapshot))  # plain data only
    nodes = reachable(loss.grad_fn)
    by_id = {n["id"]: n for n in snapshot["nodes"]}
    assert snapshot["root"] == node_id(loss.grad_fn)
    assert set(by_id) == {node_id(n) for n in nodes}
    for node in nodes:
        entry = by_id[node_id(node)]
        if isinstance(node, AccumulateGrad):
            assert entry["kind"] == "leaf" and entry["name"] == "AccumulateGrad"
            assert entry["shape"] == list(node.variable.shape)
        else:
            assert entry["name"] == node.name()
            assert entry["next"] == [[node_id(n) if n is not None else None, nr]
                                     for n, nr in node.next_functions]
    expected_edges = sorted((node_id(n), node_id(m), slot, nr) for n in nodes
                            for slot, (m, nr) in enumerate(n.next_functions) if m is not None)
    got_edges = sorted((e["from"], e["to"], e["slot"], e["input_nr"])
                       for e in snapshot["edges"])
    assert got_edges == expected_edges
    labels = {n["label"] for n in snapshot["nodes"]}
    assert {"x", "w", "b", "loss"} <= labels


def test_trace_of_a_leaf_and_of_a_constant():
    x = torch.tensor([1.0], requires_grad=True)
    assert [n["kind"] for n in trace(x)["nodes"]] == ["leaf"]
    assert trace(torch.tensor([1.0])) == {"root": None, "nodes": [], "edges": []}


def test_trace_after_backward_marks_saved_values_freed():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp().sum()
    y.backward()
    snapshot = trace(y)
    exp = next(n for n in snapshot["nodes"] if n["name"] == "ExpBackward0")
    json.dumps(snapshot)
    assert "_saved_result" in exp["saved"]


# ---------------------------------------------------------------- deep graphs
DEPTH = 100_000


def chain(x):
    for _ in range(DEPTH):
        x = x * 1.0001
    return x


def test_backward_trace_and_jacobian_on_a_100000_node_chain():
    x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    y = chain(x)
    snapshot = trace(y)
    assert len(snapshot["nodes"]) == DEPTH + 1
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001 ** DEPTH, rel=1e-9)
    jac = torch.autograd.functional.jacobian(chain, torch.tensor([1.0], dtype=torch.float64))
    assert jac.item() == pytest.approx(1.0001 ** DEPTH, rel=1e-9)


# ---------------------------------------------------------------- memory
def test_graph_is_freed_after_backward():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    nodes = [weakref.ref(n) for n in reachable(y.grad_fn) if not isinstance(n, AccumulateGrad)]
    y.backward()
    del y
    assert all(r() is None for r in nodes), "graph kept alive (a reference cycle?)"
    gc.collect()
    assert x.grad is not None


def test_saved_output_does_not_keep_the_graph_alive():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # saves its own result
    node = weakref.ref(y.grad_fn)
    del y
    assert node() is None
