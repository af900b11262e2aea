"""``trace``: a plain, JSON-serialisable snapshot of a tensor's backward graph.

The components render from this; it knows nothing of how it is drawn.
"""
import math

import numpy as np

from engine import backend, printing
from engine.autograd import node as _node
from engine.autograd.engine import node_id
from engine.autograd.node import _FREED, AccumulateGrad, SavedScalar, SavedTensor, shown_as_pytorch

MAX_VALUES = 64


def summarize(tensor):
    """Shape, dtype, printed form, the first values and simple statistics of a tensor."""
    if tensor is None:
        return None
    host = backend.to_host(tensor._data)
    stats = host.astype(np.float64) if host.dtype.kind in "fiub" or host.dtype.name == \
        "bfloat16" else np.abs(host)
    flat = stats.reshape(-1)

    def finite(x):
        x = float(x)
        return x if math.isfinite(x) else str(x)

    return {
        "shape": list(host.shape),
        "dtype": tensor.dtype.name,
        "text": printing.format_tensor(host, tensor.dtype),
        "values": [finite(v) for v in flat[:MAX_VALUES]],
        "min": finite(flat.min()) if flat.size else None,
        "max": finite(flat.max()) if flat.size else None,
        "mean": finite(flat.mean()) if flat.size else None,
        "norm": finite(np.sqrt((flat ** 2).sum())) if flat.size else None,
    }


def _saved(node):
    out = {}
    for key, value in (node._for_backward or {}).items():
        if value is _FREED:
            out[f"_saved_{key}"] = {"error": "freed by backward"}
        elif isinstance(value, SavedTensor):
            try:
                out[f"_saved_{key}"] = summarize(value.unpack(node))
            except RuntimeError as e:  # freed or modified in place: say so
                out[f"_saved_{key}"] = {"error": str(e).split(".")[0]}
        elif isinstance(value, SavedScalar):
            out[f"_saved_{key}"] = value.value
        elif value is not None:
            value = shown_as_pytorch(key, value)
            out[f"_saved_{key}"] = repr(value) if not isinstance(value, (int, float, bool)) \
                else value
    if node._freed:
        out["freed"] = True
    return out


def trace(tensor, names=None):
    """The graph behind ``tensor``: nodes (id, PyTorch name, kind, label, shape, dtype,
    value, grad, saved values, next_functions) and edges (from a node to each of its
    ``next_functions`` entries, with slot and input_nr)."""
    labels = {}
    for name, value in (names or {}).items():
        if hasattr(value, "_data") and hasattr(value, "grad_fn"):
            # an op's result is named through its node, a leaf by the tensor itself
            labels.setdefault(value.grad_fn if value.grad_fn is not None else id(value), name)
    root = tensor.grad_fn
    if root is None:
        if not tensor.requires_grad:
            return {"root": None, "nodes": [], "edges": []}
        from engine.autograd.node import accumulator_of
        root = accumulator_of(tensor)

    nodes, edges, seen, order = [], [], {root}, [root]
    i = 0
    while i < len(order):  # breadth first, no recursion
        node = order[i]
        i += 1
        for slot, (nxt, input_nr) in enumerate(node.next_functions):
            if nxt is None:
                continue
            edges.append({"from": node_id(node), "to": node_id(nxt), "slot": slot,
                          "input_nr": input_nr})
            if nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    for node in order:
        nodes.append(_describe(node, tensor if node is tensor.grad_fn else None, labels))
    return {"root": node_id(root), "nodes": nodes, "edges": edges}


def _describe(node, root_tensor, labels):
    if isinstance(node, AccumulateGrad):
        var = node.variable
        return {"id": node_id(node), "name": "AccumulateGrad", "kind": "leaf",
                "label": labels.get(id(var)), "outputs": 1, "shape": list(var.shape),
                "dtype": var.dtype.name, "value": summarize(var), "grad": summarize(var._grad),
                "saved": {}, "next": []}
    out = root_tensor
    if out is None and node._result is not None:  # of several outputs, the first
        first = node._result[0] if type(node._result) is tuple else node._result
        out = _node.Tensor._make(first)
    retained = (node._retained or {}).get(0)
    retained = retained() if retained is not None else None
    return {"id": node_id(node), "name": type(node).__name__, "kind": "op",
            "outputs": node._n_outputs,
            "label": labels.get(node),
            "shape": list(out.shape) if out is not None else None,
            "dtype": out.dtype.name if out is not None else None,
            "value": summarize(out),
            "grad": summarize(retained._grad) if retained is not None else None,
            "saved": _saved(node),
            "next": [[node_id(n) if n is not None else None, nr]
                     for n, nr in node.next_functions]}
