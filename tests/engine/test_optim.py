"""Optimizers and lr schedulers: trajectories and lr sequences against real PyTorch's
(golden file), validation errors, warnings, state, and hyper-parameters read from the param
group at every step."""
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import engine as torch
from tests.golden.make_optim_golden import (
    CASES,
    COMBINED,
    LBFGS_CASES,
    SCHEDULES,
    run,
    run_lbfgs,
    run_schedule,
)

GOLDEN = json.loads((Path(__file__).parents[1] / "golden" / "optim.json").read_text())


def _close(ours, theirs, rtol):
    """Relative to the parameter vector's size: coefficients that are zero by symmetry
    carry only rounding noise, which no two implementations share."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    return np.max(np.abs(ours - theirs)) <= rtol * max(np.max(np.abs(theirs)), 1e-30)


def _check_trajectory(ours, theirs, rtol):
    assert ours["state_keys"] == theirs["state_keys"]
    for step in ("1", "10", "100", "500", "1000"):
        assert _close(ours[step]["beta"], theirs[step]["beta"], rtol), (step, ours[step],
                                                                         theirs[step])
        assert ours[step]["loss"] == pytest.approx(theirs[step]["loss"], rel=rtol * 10)
        assert ours[step]["lr"] == pytest.approx(theirs[step]["lr"], rel=1e-12)


@pytest.fixture
def on_device(backend):
    """Runs a test with its tensors made on ``backend``'s device: the cpu, then any GPU."""
    torch.set_default_device(backend)
    yield backend
    torch.set_default_device(None)


@pytest.mark.parametrize("key", sorted(CASES))
@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-10), ("float32", 1e-5)])
def test_trajectory_matches_pytorch(key, dtype, rtol, on_device):
    name, kwargs = CASES[key]
    _check_trajectory(run(torch, name, kwargs, getattr(torch, dtype)), GOLDEN[key][dtype], rtol)


@pytest.mark.parametrize("key", sorted(COMBINED))
@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-10), ("float32", 1e-5)])
def test_scheduled_trajectory_matches_pytorch(key, dtype, rtol, on_device):
    name, kwargs, scheduler, scheduler_kwargs = COMBINED[key]
    ours = run(torch, name, kwargs, getattr(torch, dtype), (scheduler, scheduler_kwargs))
    _check_trajectory(ours, GOLDEN["combined"][key][dtype], rtol)


@pytest.mark.parametrize("key", sorted(LBFGS_CASES))
@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-10), ("float32", 1e-5)])
def test_lbfgs_steps_match_pytorch(key, dtype, rtol, on_device):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = run_lbfgs(torch, LBFGS_CASES[key], getattr(torch, dtype))
    theirs = GOLDEN["lbfgs"][key][dtype]
    assert ours["state_keys"] == theirs["state_keys"]
    for mine, real in zip(ours["steps"], theirs["steps"], strict=True):
        assert (mine["func_evals"], mine["n_iter"]) == (real["func_evals"], real["n_iter"])
        assert _close(mine["beta"], real["beta"], rtol), (mine, real)
        assert mine["loss"] == pytest.approx(real["loss"], rel=rtol * 10)


@pytest.mark.parametrize("key", sorted(SCHEDULES))
def test_lr_schedule_matches_pytorch(key):
    name, kwargs = SCHEDULES[key]
    ours = run_schedule(torch, name, kwargs)
    theirs = GOLDEN["schedules"][key]
    assert ours["warnings"] == theirs["warnings"]
    assert ours["state_keys"] == theirs["state_keys"]
    assert ours["last_epoch"] == theirs["last_epoch"]
    assert ours["initial_lr"] == [lr if lr is None else pytest.approx(lr, rel=1e-14)
                                  for lr in theirs["initial_lr"]]  # None: ReduceLROnPlateau
    for name in ("lr", "momentum", "group_lr"):
        assert np.allclose(ours[name], theirs[name], rtol=1e-14, atol=0), name


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
    (lambda p: torch.optim.Adadelta(p, rho=1.5), "Invalid rho value: 1.5"),
    (lambda p: torch.optim.Adadelta(p, rho=float("nan")), "Invalid rho value: nan"),
    (lambda p: torch.optim.Adadelta(p, lr=-1), "Invalid learning rate: -1"),
    (lambda p: torch.optim.Adadelta(p, weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda p: torch.optim.Adamax(p, betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
    (lambda p: torch.optim.Adamax(p, eps=-1), "Invalid epsilon value: -1"),
    (lambda p: torch.optim.NAdam(p, momentum_decay=-1), "Invalid momentum_decay value: -1"),
    (lambda p: torch.optim.NAdam(p, weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda p: torch.optim.RAdam(p, betas=(0.9, -0.1)),
     "Invalid beta parameter at index 1: -0.1"),
    (lambda p: torch.optim.RAdam(p, lr=float("nan")), "Invalid learning rate: nan"),
    (lambda p: torch.optim.LBFGS(p, lr=-1), "Invalid learning rate: -1"),
    (lambda p: torch.optim.LBFGS([{"params": p}, {"params": [_param()]}]),
     "LBFGS doesn't support per-parameter options .parameter groups."),
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


def test_new_optimizers_repr_like_pytorch():
    assert repr(torch.optim.NAdam([_param()])).split("\n") == [
        "NAdam (", "Parameter Group 0", "    betas: (0.9, 0.999)", "    capturable: False",
        "    decoupled_weight_decay: False", "    differentiable: False", "    eps: 1e-08",
        "    foreach: None", "    lr: 0.002", "    maximize: False", "    momentum_decay: 0.004",
        "    weight_decay: 0", ")"]
    assert repr(torch.optim.Adadelta([_param()])).split("\n")[2:] == [
        "    capturable: False", "    differentiable: False", "    eps: 1e-06", "    foreach: None",
        "    lr: 1.0", "    maximize: False", "    rho: 0.9", "    weight_decay: 0", ")"]
    assert torch.optim.RAdam([_param()], betas=[0.9, 0.99]).param_groups[0]["betas"] == \
        [0.9, 0.99]


@pytest.mark.parametrize("cls,keys,after", [
    (torch.optim.Adadelta, ["step", "square_avg", "acc_delta"], 0.9968377),
    (torch.optim.Adamax, ["step", "exp_avg", "exp_inf"], 0.998),
    (torch.optim.NAdam, ["step", "mu_product", "exp_avg", "exp_avg_sq"], 0.9978871),
    (torch.optim.RAdam, ["step", "exp_avg", "exp_avg_sq"], 0.999),
])
def test_new_optimizers_state_and_first_step(cls, keys, after):
    w = _param()
    opt = cls([w])
    w.grad = torch.ones(1)
    opt.step()
    assert list(opt.state[w]) == keys
    assert w.item() == pytest.approx(after, rel=1e-6)
    flipped = cls([_param()], maximize=True)
    flipped.param_groups[0]["params"][0].grad = torch.ones(1)
    flipped.step()
    assert flipped.param_groups[0]["params"][0].item() == pytest.approx(2 - after, rel=1e-6)


def test_nadam_mu_product_is_a_float32_scalar():
    w = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    opt = torch.optim.NAdam([w])
    w.grad = torch.ones(1, dtype=torch.float64)
    opt.step()
    assert opt.state[w]["mu_product"].dtype == torch.float32
    assert opt.state[w]["mu_product"].item() == 0.4500734806060791


# -- lr_scheduler -----------------------------------------------------------------------------
lr_scheduler = torch.optim.lr_scheduler


def _sgd(lr=0.1):
    return torch.optim.SGD([_param()], lr=lr)


def test_scheduler_sets_initial_lr_and_wraps_optimizer_step():
    opt = _sgd()
    scheduler = lr_scheduler.StepLR(opt, 2)
    assert opt.param_groups[0]["initial_lr"] == 0.1 and scheduler.base_lrs == [0.1]
    assert opt.step._wrapped_by_lr_sched and not hasattr(opt, "_opt_called")
    opt.step()
    assert opt._opt_called
    assert list(scheduler.state_dict()) == ["step_size", "gamma", "base_lrs", "last_epoch",
                                            "_step_count", "_is_initial",
                                            "_get_lr_called_within_step", "_last_lr"]


ORDER_WARNING = ("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In "
                 "PyTorch 1.1.0 and later, you should call them in the opposite order: "
                 "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will "
                 "result in PyTorch skipping the first value of the learning rate schedule. "
                 "See more details at "
                 "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")


def test_scheduler_step_before_optimizer_step_warns_once():
    scheduler = lr_scheduler.StepLR(_sgd(), 1)
    with pytest.warns(UserWarning) as record:
        scheduler.step()
    assert [str(w.message) for w in record] == [ORDER_WARNING]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()
    assert scheduler.get_last_lr() == pytest.approx([0.001])


def test_scheduler_warns_when_optimizer_step_is_replaced_and_for_get_lr():
    opt = _sgd()
    scheduler = lr_scheduler.StepLR(opt, 2)
    opt.step = lambda closure=None: None
    with pytest.warns(UserWarning, match="^Seems like `optimizer.step\\(\\)` has been overridden "
                                         "after learning rate scheduler initialization"):
        scheduler.step()
    with pytest.warns(UserWarning, match="^To get the last learning rate computed by the "
                                         "scheduler, please use `get_last_lr\\(\\)`.$"):
        scheduler.get_lr()


@pytest.mark.parametrize("make,epoch,lr", [
    (lambda o: lr_scheduler.StepLR(o, 2), 5, 0.001),
    (lambda o: lr_scheduler.MultiStepLR(o, [2, 4, 4]), 6, 0.0001),
    (lambda o: lr_scheduler.LinearLR(o), 3, 0.1 * (1 / 3 + 2 / 3 * 3 / 5)),
    (lambda o: lr_scheduler.ConstantLR(o), 7, 0.1),
    (lambda o: lr_scheduler.ExponentialLR(o, 0.5), 3, 0.0125),
    (lambda o: lr_scheduler.CosineAnnealingLR(o, 10), 5, 0.05),
    (lambda o: lr_scheduler.LambdaLR(o, lambda e: e + 1), 3, 0.4),
])
def test_step_with_an_epoch_uses_the_closed_form_and_warns(make, epoch, lr):
    opt = _sgd()
    scheduler = make(opt)
    opt.step()
    with pytest.warns(UserWarning, match="^The epoch parameter in `scheduler.step\\(\\)` was not "
                                         "necessary and is being deprecated"):
        scheduler.step(epoch)
    assert scheduler.last_epoch == epoch
    assert scheduler.get_last_lr() == pytest.approx([lr], rel=1e-12)


def test_scheduler_state_dict_round_trip_and_lambdas():
    opt = _sgd()
    scheduler = lr_scheduler.StepLR(opt, 2)
    for _ in range(3):
        opt.step()
        scheduler.step()
    other = lr_scheduler.StepLR(_sgd(), 5)
    other.load_state_dict(scheduler.state_dict())
    assert (other.step_size, other.last_epoch, other.get_last_lr()) == (2, 3, [0.1 * 0.1])

    class Warmup:
        def __init__(self):
            self.length = 4

        def __call__(self, epoch):
            return min(1, (epoch + 1) / self.length)

    warmup = Warmup()
    scheduler = lr_scheduler.LambdaLR(_sgd(), [warmup])
    state = scheduler.state_dict()
    assert state["lr_lambdas"] == [{"length": 4}] and "optimizer" not in state
    assert lr_scheduler.LambdaLR(_sgd(), lambda e: 1).state_dict()["lr_lambdas"] == [None]
    warmup.length = 10
    scheduler.load_state_dict(state)
    assert warmup.length == 4


def test_reduce_lr_on_plateau_state_and_tensor_metric():
    opt = _sgd()
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    assert "initial_lr" not in opt.param_groups[0]
    scheduler.step(1.0)
    scheduler.step(torch.tensor(2.0))
    assert scheduler.get_last_lr() == pytest.approx([0.01])
    assert (scheduler.last_epoch, scheduler.num_bad_epochs, scheduler.best) == (2, 0, 1.0)
    other = lr_scheduler.ReduceLROnPlateau(opt, mode="max")
    other.load_state_dict(scheduler.state_dict())
    assert (other.mode, other.mode_worse) == ("min", float("inf"))


def test_chained_schedulers_compose():
    opt = _sgd()
    step, exponential = lr_scheduler.StepLR(opt, 2), lr_scheduler.ExponentialLR(opt, 0.5)
    for _ in range(4):
        opt.step()
        step.step()
        exponential.step()
    assert exponential.get_last_lr() == pytest.approx([0.1 * 0.5 ** 4 * 0.1 ** 2])


def test_one_cycle_sets_group_keys_and_momentum():
    opt = torch.optim.SGD([_param()], lr=0.1, momentum=0.9)
    scheduler = lr_scheduler.OneCycleLR(opt, 1.0, total_steps=2)
    group = opt.param_groups[0]
    assert (group["initial_lr"], group["max_lr"], group["min_lr"]) == (0.04, 1.0, 4e-06)
    assert (group["max_momentum"], group["base_momentum"]) == (0.95, 0.85)
    assert group["momentum"] == pytest.approx(0.8688255099070633, rel=1e-15)
    assert scheduler.get_last_lr() == pytest.approx([0.811745653949763], rel=1e-15)
    opt.step()
    scheduler.step()
    scheduler.step()
    with pytest.raises(ValueError, match="^Tried to step 3 times. The specified number of total "
                                         "steps is 2$"):
        scheduler.step()


def test_warm_restarts_step_takes_fractional_and_interleaved_epochs_without_warnings():
    opt = _sgd()
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(opt, 5, T_mult=2, eta_min=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(7):
            opt.step()
            scheduler.step()
        assert (scheduler.T_cur, scheduler.T_i, scheduler.last_epoch) == (2, 10, 7)
        scheduler.step(26)
        assert (scheduler.T_cur, scheduler.T_i, scheduler.last_epoch) == (11.0, 20, 26)
        scheduler.step()
        assert (scheduler.T_cur, scheduler.T_i, scheduler.last_epoch) == (12.0, 20, 27)
        assert scheduler.get_last_lr() == pytest.approx([0.04109423525312737], rel=1e-15)
        scheduler.step(2.5)
    assert (scheduler.T_cur, scheduler.T_i, scheduler.last_epoch) == (2.5, 5, 2)
    assert scheduler.get_last_lr() == pytest.approx([0.055], rel=1e-15)
    assert scheduler._step_count == 0  # as in PyTorch, whose step here skips the count


def test_cyclic_lr_saves_a_callable_scale_fn_and_restores_scale_mode():
    class Halving:
        def __init__(self):
            self.base = 0.5

        def __call__(self, cycle):
            return self.base ** cycle

    def momentum_sgd():
        return torch.optim.SGD([_param()], lr=0.1, momentum=0.9)

    opt, scale = momentum_sgd(), Halving()
    scheduler = lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=2, scale_fn=scale)
    for _ in range(2):
        opt.step()
        scheduler.step()
    assert scheduler.get_last_lr() == pytest.approx([0.055])  # at the peak: 0.01 + 0.09 / 2
    assert opt.param_groups[0]["momentum"] == pytest.approx(0.85)
    state = scheduler.state_dict()
    assert list(state)[-1] == "_scale_fn_custom" and state["_scale_fn_custom"] == {"base": 0.5}
    scale.base = 0.9
    scheduler.load_state_dict(state)
    assert scale.base == 0.5 and "_scale_fn_custom" in state
    assert lr_scheduler.CyclicLR(momentum_sgd(), 0.01, 0.1, scale_fn=lambda x: 1.0) \
        .state_dict()["_scale_fn_custom"] is None
    triangular = lr_scheduler.CyclicLR(momentum_sgd(), 0.01, 0.1)
    triangular.load_state_dict(lr_scheduler.CyclicLR(momentum_sgd(), 0.01, 0.1,
                                                     mode="exp_range").state_dict())
    assert (triangular.mode, triangular.scale_mode) == ("exp_range", "iterations")


def test_sequential_and_chained_state_dicts_hold_their_schedulers():
    def sequential(opt):
        return lr_scheduler.SequentialLR(opt, [lr_scheduler.ConstantLR(opt, 0.5, total_iters=4),
                                               lr_scheduler.ExponentialLR(opt, 0.5)], [2])

    opt = _sgd()
    scheduler = sequential(opt)
    for _ in range(3):
        opt.step()
        scheduler.step()
    state = scheduler.state_dict()
    assert list(state) == ["_milestones", "last_epoch", "_last_lr", "_schedulers"]
    assert state["_schedulers"][1]["gamma"] == 0.5
    other = sequential(_sgd())
    other.load_state_dict(state)
    assert other.last_epoch == 3 and [s.last_epoch for s in other._schedulers] == [1, 1]
    assert other.get_last_lr() == [0.05] and "_schedulers" in state

    opt = _sgd()
    chained = lr_scheduler.ChainedScheduler([lr_scheduler.ConstantLR(opt, 0.5, total_iters=2),
                                             lr_scheduler.ExponentialLR(opt, 0.9)])
    lrs = [chained.get_last_lr()]
    for _ in range(3):
        opt.step()
        chained.step()
        lrs.append(chained.get_last_lr())
    assert lrs == [[0.05], [pytest.approx(0.045)], [pytest.approx(0.081)],
                   [pytest.approx(0.0729)]]
    assert list(chained.state_dict()) == ["_last_lr", "_schedulers"]


def _adagrad():
    return torch.optim.Adagrad([_param()])


def _sequential(make_second, milestones=(3,)):
    """A SequentialLR of a StepLR and ``make_second(optimizer)``."""
    opt = _sgd()
    return lr_scheduler.SequentialLR(opt, [lr_scheduler.StepLR(opt, 2), make_second(opt)],
                                     list(milestones))


def _chained(make_second):
    opt = _sgd()
    return lr_scheduler.ChainedScheduler([lr_scheduler.StepLR(opt, 2), make_second(opt)], opt)


# How the errors of SequentialLR and ChainedScheduler show a scheduler's other optimizer.
OTHER_SGD = "\n".join([
    "SGD (", "Parameter Group 0", "    dampening: 0", "    differentiable: False",
    "    foreach: None", "    fused: None", "    initial_lr: 0.1", "    lr: 0.1",
    "    maximize: False", "    momentum: 0", "    nesterov: False", "    weight_decay: 0", ")"])


@pytest.mark.parametrize("make,error,message", [
    (lambda: lr_scheduler.StepLR(None, 2), TypeError, "NoneType is not an Optimizer"),
    (lambda: lr_scheduler.ConstantLR(_sgd(), factor=2), ValueError,
     "Constant multiplicative factor expected to be between 0 and 1."),
    (lambda: lr_scheduler.LinearLR(_sgd(), start_factor=0), ValueError,
     "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."),
    (lambda: lr_scheduler.LinearLR(_sgd(), end_factor=2), ValueError,
     "Ending multiplicative factor expected to be between 0 and 1."),
    (lambda: lr_scheduler.LambdaLR(_sgd(), [abs, abs]), ValueError,
     "Expected 1 lr_lambdas, but got 2"),
    (lambda: lr_scheduler.MultiplicativeLR(_sgd(), 3), TypeError,
     "lr_lambda should be a function, but got int"),
    (lambda: lr_scheduler.ReduceLROnPlateau(_sgd(), factor=1.0), ValueError,
     "Factor should be < 1.0."),
    (lambda: lr_scheduler.ReduceLROnPlateau(_sgd(), mode="avg"), ValueError,
     "mode avg is unknown!"),
    (lambda: lr_scheduler.ReduceLROnPlateau(_sgd(), threshold_mode="x"), ValueError,
     "threshold mode x is unknown!"),
    (lambda: lr_scheduler.ReduceLROnPlateau(_sgd(), min_lr=[0, 1]), ValueError,
     "expected 1 min_lrs, got 2"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 1.0), ValueError,
     "You must define either total_steps OR (epochs AND steps_per_epoch)"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 1.0, total_steps=0), ValueError,
     "Expected positive integer total_steps, but got 0"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 1.0, epochs=2.0, steps_per_epoch=3), ValueError,
     "Expected positive integer epochs, but got 2.0"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 1.0, total_steps=10, pct_start=1), ValueError,
     "Expected float between 0 and 1 pct_start, but got 1"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 1.0, total_steps=10, anneal_strategy="x"),
     ValueError, "anneal_strategy must be one of 'cos' or 'linear', instead got x"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), [1.0, 2.0], total_steps=10), ValueError,
     ("max_lr must have the same length as optimizer.param_groups. max_lr has 2 values, "
      "param_groups has 1.")),
    (lambda: lr_scheduler.OneCycleLR(_adagrad(), 1.0, total_steps=10), ValueError,
     "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    (lambda: lr_scheduler.CosineAnnealingWarmRestarts(_sgd(), 0), ValueError,
     "Expected positive integer T_0, but got 0"),
    (lambda: lr_scheduler.CosineAnnealingWarmRestarts(_sgd(), 2.0), ValueError,
     "Expected positive integer T_0, but got 2.0"),
    (lambda: lr_scheduler.CosineAnnealingWarmRestarts(_sgd(), 2, T_mult=1.5), ValueError,
     "Expected integer T_mult >= 1, but got 1.5"),
    (lambda: lr_scheduler.CosineAnnealingWarmRestarts(_sgd(), 2, eta_min="0"), ValueError,
     "Expected float or int eta_min, but got 0 of type <class 'str'>"),
    (lambda: lr_scheduler.CosineAnnealingWarmRestarts(_sgd(), 2).step(-1), ValueError,
     "Expected non-negative epoch, but got -1"),
    (lambda: lr_scheduler.CyclicLR(None, 0.01, 0.1), TypeError, "NoneType is not an Optimizer"),
    (lambda: lr_scheduler.CyclicLR(_sgd(), 0.01, 0.1, mode="cosine"), ValueError,
     "mode is invalid and scale_fn is None"),
    (lambda: lr_scheduler.CyclicLR(_adagrad(), 0.01, 0.1), ValueError,
     "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    (lambda: lr_scheduler.CyclicLR(_sgd(), [0.01, 0.02], 0.1), ValueError,
     ("base_lr must have the same length as optimizer.param_groups. base_lr has 2 values, "
      "param_groups has 1.")),
    (lambda: lr_scheduler.CyclicLR(_sgd(), 0.01, 0.1, base_momentum=[0.8, 0.9],
                                   max_momentum=[0.9, 1.0]), ValueError,
     ("base_momentum must have the same length as optimizer.param_groups. base_momentum has "
      "2 values, param_groups has 1.")),
    (lambda: lr_scheduler.SequentialLR(_sgd(), [], []), ValueError,
     "SequentialLR expects at least one scheduler, but got no scheduler."),
    (lambda: _sequential(lambda opt: lr_scheduler.StepLR(opt, 3), milestones=[3, 5]),
     ValueError, ("Sequential Schedulers expects number of schedulers provided to be one more "
                  "than the number of milestone points, but got number of schedulers 2 and "
                  "the number of milestones to be equal to 2")),
    (lambda: _sequential(lr_scheduler.ReduceLROnPlateau), ValueError,
     ("SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional "
      "kwargs to be specified when calling `step`, but got one at index 1 in the given "
      "schedulers sequence.")),
    (lambda: _sequential(lambda opt: lr_scheduler.StepLR(_sgd(), 2)), ValueError,
     ("SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler "
      f"StepLR at index 1 has {OTHER_SGD}, which is different from SGD.")),
    (lambda: _sequential(lambda opt: object()), TypeError,
     "SequentialLR at index 1 should have `optimizer` as its attribute."),
    (lambda: lr_scheduler.ChainedScheduler([]), ValueError,
     "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler."),
    (lambda: _chained(lr_scheduler.ReduceLROnPlateau), ValueError,
     ("ChainedScheduler does not support `ReduceLROnPlateau` scheduler as it requires "
      "additional kwargs to be specified when calling `step`, but got one at index 1 in the "
      "given schedulers sequence.")),
    (lambda: _chained(lambda opt: lr_scheduler.StepLR(_sgd(), 2)), ValueError,
     ("ChainedScheduler expects all schedulers to belong to the same optimizer, but got "
      f"scheduler StepLR at index 1 has {OTHER_SGD}, which is different from SGD.")),
    (lambda: _chained(lambda opt: object()), TypeError,
     "ChainedScheduler at index 1 should have `optimizer` as its attribute."),
])
def test_scheduler_errors_use_pytorch_wording(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert str(info.value) == message


def test_resuming_without_initial_lr_raises_key_error():
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups"
                                       "\\[0\\] when resuming scheduler with last_epoch >= 0."):
        lr_scheduler.StepLR(_sgd(), 2, last_epoch=3)


def test_plateau_refuses_a_new_group_with_per_group_min_lrs():
    opt = _sgd()
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=[0])
    opt.add_param_group({"params": [_param()]})
    scheduler.step(1.0)
    with pytest.raises(RuntimeError, match="^The number of param groups in the `optimizer` "
                                           "\\(2\\) differs from when `ReduceLROnPlateau` was "
                                           "initialized \\(1\\)"):
        scheduler.step(2.0)


def test_lbfgs_repr_and_unknown_line_search():
    w = _param()
    opt = torch.optim.LBFGS([w], line_search_fn="wolfe")
    assert repr(opt).split("\n")[2:] == [
        "    history_size: 100", "    line_search_fn: wolfe", "    lr: 1", "    max_eval: 25",
        "    max_iter: 20", "    tolerance_change: 1e-09", "    tolerance_grad: 1e-07", ")"]

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="^only 'strong_wolfe' is supported$"):
        opt.step(closure)
