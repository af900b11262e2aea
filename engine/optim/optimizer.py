"""``Optimizer``: parameter groups, lazily created per-parameter state, and PyTorch's
validation. Hyper-parameters are read from the group at every step, so changing
``group["lr"]`` mid-run takes effect at the next step.

Updates run on the parameters' arrays directly, outside the graph (as PyTorch's run
under ``no_grad``), and bump each parameter's version counter as an in-place op would.
"""
from collections import defaultdict

import numpy as np

from engine.autograd.grad_mode import enable_grad
from engine.nn.module import _type_name
from engine.tensor import Tensor


def check(condition, message):
    if not condition:
        raise ValueError(message)


def check_nonnegative(name, value, label=None):
    """``0 <= value``, so that nan is refused too, as PyTorch's checks are written."""
    check(0.0 <= value, f"Invalid {label or name} value: {value}")


class Optimizer:
    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got torch.{params.dtype.tensor_type}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Takes ``(name, tensor)`` pairs too, as from ``named_parameters()``, and keeps the
        names in the group's ``param_names``. The group dict given is the one stored."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        param_group["params"] = params = [p[1] if isinstance(p, tuple) else p for p in params]
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["param_names"] = names
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params "
                                f"is {_type_name(p)}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for key, default in self.defaults.items():
            param_group.setdefault(key, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for group in self.param_groups:
            if ("param_names" in param_group) != ("param_names" in group):
                raise ValueError("all optimizer param groups should be with/without names. "
                                 "cannot add param group "
                                 f"{'with' if names else 'without'} names to the optimizer")
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    p._grad._data[...] = 0

    def step(self, closure=None):
        """Each built-in optimizer's ``_update(param, grad, state, group)`` moves one
        parameter; the base class has none, and its ``step`` raises as PyTorch's does."""
        if self._update is None:
            raise NotImplementedError
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                grad = p._grad._data
                if group.get("maximize"):
                    grad = -grad
                self._update(p, grad, self.state[p], group)
                p._version_counter[0] += 1
        return loss

    _update = None

    @staticmethod
    def _count_step(state):
        """Advance ``state["step"]``, a float32 scalar tensor as in PyTorch; return it."""
        step = state.get("step")
        if step is None:
            step = state["step"] = new_step()
        step._data += 1
        return float(step._data)

    # -- state ------------------------------------------------------------------------------
    def state_dict(self):
        """The live state, not a copy: as in PyTorch, the tensors go on changing with the
        optimizer's steps, and an optimizer loaded from them shares them."""
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: values for p, values in self.state.items() if values}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        params = [p for g in self.param_groups for p in g["params"]]
        for mine, saved in zip(self.param_groups, groups):
            if len(mine["params"]) != len(saved["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 "match the size of optimizer's group")
            mine.update({k: v for k, v in saved.items() if k != "params"})
        self.state = defaultdict(dict)
        for i, values in state_dict["state"].items():
            p = params[i]
            self.state[p] = {k: _cast(p, k, v) for k, v in values.items()}

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines += [""] * (i > 0) + [f"Parameter Group {i}"]
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        lines.append(")")
        return "\n".join(lines)


def _cast(param, key, value):
    """A loaded state tensor: the saved one itself, converted only where PyTorch would."""
    if not isinstance(value, Tensor) or key == "step":
        return value
    if param.dtype.is_floating_point:
        return value.to(dtype=param.dtype, device=param.device)
    return value.to(device=param.device)


def new_step():
    """``state["step"]``: a float32 scalar tensor, the first entry of a state as in PyTorch."""
    return Tensor._make(np.zeros((), dtype=np.float32))


def new_state(param, fill=0.0):
    """A state tensor shaped like ``param``, on its device."""
    data = param._data.copy()
    data[...] = fill
    return Tensor._make(data)
