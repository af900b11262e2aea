"""Hand-written engine.autograd.trace() snapshots matching the engine contract.

`linear_snapshot()` is the lecture's `x = torch.linspace(0, 2, steps=21,
requires_grad=True); y = 3*x + 2; out = y.sum()` before backward; the components are
tested against it independently of the engine.
"""
from __future__ import annotations

XS = [round(i * 0.1, 6) for i in range(21)]


def summary(values, shape=None):
    flat = values if isinstance(values, list) else [values]
    shape = [len(values)] if shape is None and isinstance(values, list) else (shape or [])
    text = "tensor(" + (repr(values) if isinstance(values, list) else f"{values:g}.") + ")"
    return {"shape": shape, "dtype": "float32", "text": text, "values": values,
            "min": min(flat), "max": max(flat), "mean": sum(flat) / len(flat),
            "norm": sum(v * v for v in flat) ** 0.5}


def linear_snapshot(with_grad: bool = False) -> dict:
    ys = [3 * v + 2 for v in XS]
    return {
        "root": "n4",
        "nodes": [
            {"id": "n4", "name": "SumBackward0", "kind": "op", "label": "out", "shape": [], "dtype": "float32",
             "value": summary(105.0), "grad": None, "saved": {"_saved_self_sym_sizes": "(21,)"},
             "next": [["n3", 0]]},
            {"id": "n3", "name": "AddBackward0", "kind": "op", "label": "y", "shape": [21], "dtype": "float32",
             "value": summary(ys), "grad": None, "saved": {"alpha": "1"}, "next": [["n2", 0], [None, 0]]},
            {"id": "n2", "name": "MulBackward0", "kind": "op", "label": None, "shape": [21], "dtype": "float32",
             "value": summary([3 * v for v in XS]), "grad": None,
             "saved": {"_saved_other": "3", "_saved_self": None}, "next": [["n1", 0], [None, 0]]},
            {"id": "n1", "name": "AccumulateGrad", "kind": "leaf", "label": "x", "shape": [21], "dtype": "float32",
             "value": summary(XS), "grad": summary([3.0] * 21) if with_grad else None, "saved": {}, "next": []},
        ],
        "edges": [{"from": "n4", "to": "n3", "slot": 0, "input_nr": 0},
                  {"from": "n3", "to": "n2", "slot": 0, "input_nr": 0},
                  {"from": "n2", "to": "n1", "slot": 0, "input_nr": 0}],
    }


def chain_snapshot(n_nodes: int) -> dict:
    """A long layered graph (for layout benchmarks): each op adds the previous two."""
    nodes = [{"id": "n0", "name": "AccumulateGrad", "kind": "leaf", "label": "x", "shape": [3],
              "dtype": "float32", "value": summary([1.0, 2.0, 3.0]), "grad": None, "saved": {}, "next": []}]
    for i in range(1, n_nodes):
        prev = [[f"n{i - 1}", 0]] + ([[f"n{i - 2}", 0]] if i >= 2 else [[None, 0]])
        nodes.append({"id": f"n{i}", "name": "AddBackward0" if i % 3 else "MulBackward0", "kind": "op",
                      "label": None, "shape": [3], "dtype": "float32", "value": None, "grad": None,
                      "saved": {}, "next": prev})
    nodes.reverse()
    edges = [{"from": n["id"], "to": t, "slot": s, "input_nr": nr}
             for n in nodes for s, (t, nr) in enumerate(n["next"]) if t]
    return {"root": nodes[0]["id"], "nodes": nodes, "edges": edges}
