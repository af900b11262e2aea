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
    (lambda p: torch.optim.Adam(p, lr=float("nan")), "Invalid learning rate: nan"),
    (lambda p: torch.optim.Adam(p, eps=float("nan")), "Invalid epsilon value: nan"),
    (lambda p: torch.optim.AdamW(p, lr=float("nan")), "Invalid learning rate: nan"),
    (lambda p: torch.optim.Adagrad(p, lr=float("nan")), "Invalid learning rate: nan"),
    (lambda p: torch.optim.RMSprop(p, alpha=float("nan")), "Invalid alpha value: nan"),
    (lambda p: torch.optim.Adam(p, betas=(0, 0.9)), ("betas must be either both floats or both "
                                                    "Tensors")),
    (lambda p: torch.optim.SGD([("a", p[0]), _param()]), ("all optimizer params should be "
                                                         "with/without names. Some param names "
                                                         "are missing")),
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


def test_sgd_takes_nan_momentum_and_adam_betas_become_a_tuple():
    assert np.isnan(torch.optim.SGD([_param()], momentum=float("nan")).defaults["momentum"])
    assert torch.optim.Adam([_param()], betas=[0.9, 0.99]).param_groups[0]["betas"] == \
        (0.9, 0.99)
    with pytest.raises(IndexError, match="^tuple index out of range$"):
        torch.optim.Adam([_param()], betas=(0.9,))


def test_repr_separates_groups_with_a_blank_line():
    opt = torch.optim.SGD([{"params": [_param()]}, {"params": [_param()], "lr": 0.5}], lr=0.1)
    assert repr(opt).split("\n")[10:14] == ["    weight_decay: 0", "", "Parameter Group 1",
                                              "    dampening: 0"]


def test_state_dict_holds_the_live_state_and_loading_shares_it():
    w = torch.nn.Parameter(torch.tensor([1.0, 1.0]))
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = torch.ones(2)
    opt.step()
    state = opt.state_dict()
    opt.step()
    assert state["state"][0]["momentum_buffer"].tolist() == pytest.approx([1.9, 1.9])
    assert state["state"][0] is opt.state[w]
    adam = torch.optim.Adam([w], lr=0.1)
    adam.step()
    other = torch.optim.Adam([w], lr=0.1)
    other.load_state_dict(adam.state_dict())
    adam.step()
    assert other.state[w]["step"].item() == 2.0
    assert list(other.state[w]) == ["step", "exp_avg", "exp_avg_sq"]


def test_base_optimizer_has_no_step():
    w = _param()
    w.grad = torch.ones(1)
    with pytest.raises(NotImplementedError):
        torch.optim.Optimizer([w], {"lr": 0.1}).step()


def test_named_parameters_keep_their_names():
    lin = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(lin.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.param_groups[0]["params"][1] is lin.bias
    assert "    param_names: ['weight', 'bias']" in repr(opt).split("\n")
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]
    with pytest.raises(ValueError, match="^all optimizer param groups should be with/without "
                                         "names. cannot add param group without names to the "
                                         "optimizer$"):
        opt.add_param_group({"params": [_param()]})


def test_add_param_group_and_params_type_errors():
    w = _param()
    with pytest.raises(TypeError, match="^param_group must be a dict, but got <class 'list'>$"):
        torch.optim.SGD([w]).add_param_group([w])
    with pytest.raises(TypeError, match="^optimizer can only optimize Tensors, but one of the "
                                        "params is float$"):
        torch.optim.SGD([1.0], lr=0.1)
    group = {"params": [w]}
    assert torch.optim.SGD([group], lr=0.1).param_groups[0] is group
