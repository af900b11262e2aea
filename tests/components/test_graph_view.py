"""GraphView at the param level: DOT content, restyle without re-layout, inspector."""
import json

from components.graph_view import GraphView, build_dot, inspector_html, short_values
from tests.components.example_snapshot import chain_snapshot, linear_snapshot


def test_dot_has_torch_names_leaf_label_none_slots_and_ids():
    dot = build_dot(linear_snapshot())
    for text in ("SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad", "None", "grad: None"):
        assert text in dot
    assert 'id=n1' in dot and "e_n3_1" in dot   # ids the browser restyles by
    assert "x\nAccumulateGrad\n[21] float32" in json.loads(json.dumps(dot))


def test_saved_tensors_only_on_demand():
    assert "_saved_other" not in build_dot(linear_snapshot())
    assert "_saved_other" in build_dot(linear_snapshot(), show_saved=True)


def test_restyle_does_not_change_dot_but_structure_does():
    view = GraphView(snapshot=linear_snapshot())
    dot = view.canvas.dot
    view.paint = {"current": "n3", "nodes": {"n1": {"grad": "grad: [3.]"}}}
    assert view.canvas.dot == dot and view.canvas.paint["current"] == "n3"
    view.snapshot = linear_snapshot(with_grad=True)   # only a value changed: still no relayout
    assert view.canvas.dot != dot or "grad: [3." in view.canvas.dot
    view.show_saved = True
    assert "_saved_other" in view.canvas.dot


def test_click_selects_and_inspector_shows_value_grad_saved_next():
    view = GraphView(snapshot=linear_snapshot(with_grad=True))
    view.canvas.selected = "n2"        # what a click in the browser sets
    text = view._inspector.object
    assert "MulBackward0" in text and "(&lt;AccumulateGrad&gt;, 0), (None, 0)" in text
    assert "_saved_other" in text
    view.canvas.selected = "n1"
    assert "grad" in view._inspector.object and "3.0" in view._inspector.object


def test_inspector_escapes_labels():
    node = dict(linear_snapshot()["nodes"][3], label="<script>alert(1)</script>")
    assert "<script>" not in inspector_html(node, linear_snapshot())


def test_inspector_says_what_an_unsigned_saved_int_stands_for():
    import engine as torch
    from engine.autograd import trace
    x = torch.ones(2, 3, requires_grad=True)
    snapshot = trace(x.sum(-1).sum())
    node = next(n for n in snapshot["nodes"] if n["name"] == "SumBackward1")
    text = inspector_html(node, snapshot)
    assert "(18446744073709551615,)" in text and "18446744073709551615 is -1" in text
    plain = next(n for n in snapshot["nodes"] if n["name"] == "SumBackward0")
    assert "unsigned" not in inspector_html(plain, snapshot)


def test_short_values():
    assert short_values(None) == "None"
    assert short_values({"shape": [21], "values": [3.0] * 21}) == "[3., 3., 3., 3., \u2026]"
    assert short_values({"shape": [], "values": 105.0}) == "105."


def test_big_graph_dot_is_built_without_recursion():
    dot = build_dot(chain_snapshot(3000))
    assert dot.count("AddBackward0") > 1500
