"""Optimizers: trajectories against real PyTorch's (golden file), validation errors,
state, and hyper-parameters read from the param group at every step."""
import json
from pathlib import Path

import numpy as np
import pytest

import engine as torch
from tests.golden.make_optim_golden import CASES, run

GOLDEN = json.loads((Path(__file__).parents[1] / "golden" / "optim.json").read_text())


def _close(ours, theirs, rtol):
    """Relative to the parameter vector's size: coefficients that are zero by symmetry
    carry only rounding noise, which no two implementations share."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    return np.max(np.abs(ours - theirs)) <= rtol * max(np.max(np.abs(theirs)), 1e-30)


@pytest.mark.parametrize("key", sorted(CASES))
@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-10), ("float32", 1e-5)])
def test_trajectory_matches_pytorch(key, dtype, rtol):
    name, kwargs = CASES[key]
    ours = run(torch, name, kwargs, getattr(torch, dtype))
    theirs = GOLDEN[key][dtype]
    assert ours["state_keys"] == theirs["state_keys"]
    for step in ("1", "10", "100", "500", "1000"):
        assert _close(ours[step]["beta"], theirs[step]["beta"], rtol), (step, ours[step],
                                                                         theirs[step])
        assert ours[step]["loss"] == pytest.approx(theirs[step]["loss"], rel=rtol * 10)


def _param():
    return torch.nn.Parameter(torch.tensor([1.0]))


@pytest.mark.parametrize("make,message", [
    (lambda p: torch.optim.SGD(p, lr=-1), "Invalid learning rate: -1"),
    (lambda p: torch.optim.SGD(p, lr=0.1, momentum=-0.5), "Invalid momentum value: -0.5"),
    (lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda p: torch.optim.SGD(p, lr=0.1, nesterov=True),
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda p: torch.optim.Adam(p, eps=-1), "Invalid epsilon value: -1"),
    (lambda p: torch.optim.Adam(p, betas=(0.9, 1.5)), "Invalid beta parameter at index 1: 1.5"),
    (lambda p: torch.optim.Adagrad(p, lr_decay=-1), "Invalid lr_decay value: -1"),
    (lambda p: torch.optim.Adagrad(p, initial_accumulator_value=-1),
     "Invalid initial_accumulator_value value: -1"),
    (lambda p: torch.optim.RMSprop(p, alpha=-1), "Invalid alpha value: -1"),
    (lambda p: torch.optim.SGD([], lr=0.1), "optimizer got an empty parameter list"),
])
def test_validation_errors_use_pytorch_wording(make, message):
    with pytest.raises(ValueError, match=f"^{message.replace('(', '.').replace(')', '.')}$"):
        make([_param()])


def test_non_leaf_and_bare_tensor_are_refused():
    w = _param()
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        torch.optim.SGD([w * 2], lr=0.1)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts, but got "
                                        "torch.FloatTensor"):
        torch.optim.SGD(w, lr=0.1)


def test_sgd_momentum_buffer_starts_at_first_gradient():
    # USERS.md: SGD(lr=.1, momentum=.9) on w**2 from w=1 gives (grad, w, buf) below.
    w = torch.nn.Parameter(torch.tensor(1.0))
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    seen = []
    for _ in range(3):
        (w ** 2).backward()
        grad = w.grad.item()
        opt.step()
        seen.append((grad, w.item(), opt.state[w]["momentum_buffer"].item()))
        opt.zero_grad()
    assert np.allclose(seen, [(2.0, 0.8, 2.0), (1.6, 0.46, 3.4), (0.92, 0.062, 3.98)])


@pytest.mark.parametrize("cls", [torch.optim.Adam, torch.optim.Adagrad])
def test_first_adaptive_step_moves_by_lr(cls):
    w = torch.nn.Parameter(torch.tensor(1.0))
    opt = cls([w], lr=0.1)
    (w * 123.0).backward()
    opt.step()
    assert w.item() == pytest.approx(0.9, abs=1e-6)


def test_zero_grad_sets_none_and_state_dict_round_trip():
    w = _param()
    opt = torch.optim.Adam([w], lr=0.1)
    (w * 3).sum().backward()
    opt.step()
    opt.zero_grad()
    assert w.grad is None
    state = opt.state_dict()
    assert sorted(state["state"][0]) == ["exp_avg", "exp_avg_sq", "step"]
    assert state["param_groups"][0]["params"] == [0]
    other = torch.optim.Adam([w], lr=0.5)
    other.load_state_dict(state)
    assert other.param_groups[0]["lr"] == 0.1
    assert other.state[w]["step"].item() == 1.0


def test_repr_lists_the_group_like_pytorch():
    opt = torch.optim.SGD([_param()], lr=0.1, momentum=0.9)
    assert repr(opt) == "\n".join([
        "SGD (", "Parameter Group 0", "    dampening: 0", "    differentiable: False",
        "    foreach: None", "    fused: None", "    lr: 0.1", "    maximize: False",
        "    momentum: 0.9", "    nesterov: False", "    weight_decay: 0", ")"])


def test_nan_learning_rate_propagates_without_crashing():
    w = _param()
    opt = torch.optim.SGD([w], lr=float("nan"))
    (w * 2).sum().backward()
    opt.step()
    assert np.isnan(w.item())
