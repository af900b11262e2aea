"""Writes tests/golden/optim.json: optimizer trajectories on the lecture's problem, made
with real PyTorch (``pip install torch==2.13.0``; run from the repository root).

Each case fits the lecture's cubic features to y = sin(x + 0.5) from beta = 0, records the
parameters and the loss at a few checkpoints, and changes ``lr`` mid-run once to check
that hyper-parameters are read from the param group at every step. (The phase shift gives
every coefficient a real gradient: with the lecture's sin(x) two coefficients are zero by
symmetry, and adaptive optimizers blow their rounding noise up to full steps, which no
two implementations share. For the same reason the hyper-parameters are ones under which
the run is not chaotic: Adadelta at lr=0.1, or Adamax with betas=(0.8, 0.99), turn a
1e-15 change in the start into 1e-3 by step 500 in PyTorch itself.)

``SCHEDULES`` and ``COMBINED`` do the same for ``torch.optim.lr_scheduler``: the lr
sequences of each scheduler alone, and schedulers driving an optimizer on the problem.
"""
import json
import math
import warnings
from pathlib import Path

import numpy as np

CASES = {
    "sgd": ("SGD", {"lr": 1e-4}),
    "sgd_momentum": ("SGD", {"lr": 1e-4, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"lr": 1e-4, "momentum": 0.9, "nesterov": True}),
    "sgd_dampening_wd": ("SGD", {"lr": 1e-4, "momentum": 0.5, "dampening": 0.3,
                                 "weight_decay": 0.01}),
    "sgd_maximize": ("SGD", {"lr": 1e-6, "maximize": True}),
    "adam": ("Adam", {"lr": 1e-2}),
    "adam_amsgrad_wd": ("Adam", {"lr": 1e-2, "amsgrad": True, "weight_decay": 0.1,
                                 "betas": (0.8, 0.99)}),
    "adamw": ("AdamW", {"lr": 1e-2}),
    "adagrad": ("Adagrad", {"lr": 1e-1}),
    "adagrad_decay": ("Adagrad", {"lr": 1e-1, "lr_decay": 1e-3, "initial_accumulator_value": 0.1,
                                  "weight_decay": 0.01}),
    "rmsprop": ("RMSprop", {"lr": 1e-4}),
    "rmsprop_centered_momentum": ("RMSprop", {"lr": 1e-4, "centered": True, "momentum": 0.5}),
    "adadelta": ("Adadelta", {"lr": 1e-2}),
    "adadelta_rho_wd": ("Adadelta", {"lr": 1e-2, "rho": 0.95, "weight_decay": 0.05}),
    "adamax": ("Adamax", {"lr": 1e-2}),
    "adamax_wd": ("Adamax", {"lr": 3e-3, "weight_decay": 0.1}),
    "nadam": ("NAdam", {"lr": 3e-3}),
    "nadam_wd": ("NAdam", {"lr": 3e-3, "weight_decay": 0.1, "momentum_decay": 1e-2}),
    "nadam_decoupled": ("NAdam", {"lr": 3e-3, "weight_decay": 0.1,
                                  "decoupled_weight_decay": True}),
    "radam": ("RAdam", {"lr": 1e-2}),
    "radam_wd": ("RAdam", {"lr": 3e-3, "weight_decay": 0.1}),
    "radam_decoupled": ("RAdam", {"lr": 1e-2, "weight_decay": 0.1,
                                  "decoupled_weight_decay": True}),
}
STEPS, CHECKPOINTS, LR_CHANGE_AT = 1000, (1, 10, 100, 500, 1000), 600

# Learning-rate schedules: lr (and momentum) of two param groups over SCHEDULE_STEPS steps.
# Functions can't go into JSON, so lr_lambda and scale_fn name one of LAMBDAS, and
# "step_epochs" one of EPOCHS: then step i is ``scheduler.step(EPOCHS[name](i))``.
# "schedulers" (of SequentialLR and ChainedScheduler) lists (name, kwargs) pairs like
# those of SCHEDULES.
SCHEDULE_STEPS = 50
LAMBDAS = {"power": lambda epoch: 0.95 ** epoch,
           "warmup": lambda epoch: min(1.0, (epoch + 1) / 10),
           "shrink": lambda epoch: 0.9 if epoch % 3 else 1.0,
           "inverse": lambda x: 1 / (1 + 0.1 * x)}
EPOCHS = {"fractional": lambda i: 0.37 * (i + 1),
          "restarted": lambda i: 0.5 * i if i < 30 else 0.25 * i}
SCHEDULES = {
    "step": ("StepLR", {"step_size": 7}),
    "step_gamma": ("StepLR", {"step_size": 3, "gamma": 0.7}),
    "multistep": ("MultiStepLR", {"milestones": [5, 12, 12, 30], "gamma": 0.5}),
    "exponential": ("ExponentialLR", {"gamma": 0.9}),
    "cosine": ("CosineAnnealingLR", {"T_max": 20}),
    "cosine_eta_min": ("CosineAnnealingLR", {"T_max": 15, "eta_min": 0.01}),
    "lambda_power": ("LambdaLR", {"lr_lambda": "power"}),
    "lambda_warmup": ("LambdaLR", {"lr_lambda": "warmup"}),
    "multiplicative": ("MultiplicativeLR", {"lr_lambda": "shrink"}),
    "linear": ("LinearLR", {}),
    "linear_down": ("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 30}),
    "constant": ("ConstantLR", {}),
    "constant_long": ("ConstantLR", {"factor": 0.5, "total_iters": 20}),
    "plateau": ("ReduceLROnPlateau", {}),
    "plateau_patience": ("ReduceLROnPlateau", {"patience": 2, "factor": 0.5, "cooldown": 3,
                                               "min_lr": [0.01, 0.02]}),
    "plateau_max_abs": ("ReduceLROnPlateau", {"mode": "max", "threshold_mode": "abs",
                                              "threshold": 0.05, "patience": 1}),
    "onecycle": ("OneCycleLR", {"max_lr": 1.0, "total_steps": 50}),
    "onecycle_linear_three_phase": ("OneCycleLR", {"max_lr": [1.0, 0.5], "epochs": 5,
                                                   "steps_per_epoch": 10, "pct_start": 0.25,
                                                   "anneal_strategy": "linear",
                                                   "three_phase": True}),
    "onecycle_adam": ("OneCycleLR", {"max_lr": 0.1, "total_steps": 50, "optimizer": "Adam"}),
    "polynomial": ("PolynomialLR", {}),
    "polynomial_power": ("PolynomialLR", {"total_iters": 30, "power": 2.5}),
    "warm_restarts": ("CosineAnnealingWarmRestarts", {"T_0": 10}),
    "warm_restarts_mult": ("CosineAnnealingWarmRestarts", {"T_0": 3, "T_mult": 2,
                                                           "eta_min": 0.01}),
    "warm_restarts_epochs": ("CosineAnnealingWarmRestarts", {"T_0": 4,
                                                             "step_epochs": "fractional"}),
    "warm_restarts_mult_epochs": ("CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 3,
                                                                  "eta_min": 0.001,
                                                                  "step_epochs": "restarted"}),
    "cyclic": ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5}),
    "cyclic_triangular2": ("CyclicLR", {"base_lr": [0.01, 0.02], "max_lr": [0.1, 0.3],
                                        "step_size_up": 4, "step_size_down": 7,
                                        "mode": "triangular2", "base_momentum": [0.7, 0.75],
                                        "max_momentum": 0.95}),
    "cyclic_exp_range": ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3,
                                      "mode": "exp_range", "gamma": 0.97}),
    "cyclic_scale_fn_cycle": ("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 6,
                                           "scale_fn": "inverse"}),
    "cyclic_scale_fn_iterations": ("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1,
                                                "step_size_up": 2, "step_size_down": 5,
                                                "scale_fn": "inverse",
                                                "scale_mode": "iterations"}),
    "cyclic_no_momentum": ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5,
                                        "cycle_momentum": False}),
    "cyclic_adam": ("CyclicLR", {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 8,
                                 "optimizer": "Adam"}),
    "sequential": ("SequentialLR", {"schedulers": [("ConstantLR", {"factor": 0.1,
                                                                   "total_iters": 20}),
                                                   ("ExponentialLR", {"gamma": 0.9})],
                                    "milestones": [10]}),
    "sequential_three": ("SequentialLR", {"schedulers": [
        ("LinearLR", {"start_factor": 0.1, "total_iters": 5}),
        ("CosineAnnealingLR", {"T_max": 12}),
        ("PolynomialLR", {"total_iters": 20, "power": 2.0})], "milestones": [5, 20]}),
    "chained": ("ChainedScheduler", {"schedulers": [("ConstantLR", {"factor": 0.1,
                                                                    "total_iters": 20}),
                                                    ("ExponentialLR", {"gamma": 0.9})]}),
    "chained_in_sequential": ("SequentialLR", {"schedulers": [
        ("ChainedScheduler", {"schedulers": [("LinearLR", {"start_factor": 0.2}),
                                             ("MultiStepLR", {"milestones": [2, 6]})]}),
        ("CosineAnnealingWarmRestarts", {"T_0": 7, "T_mult": 2})], "milestones": [12]}),
}

# An optimizer and a scheduler together on the lecture's problem, as in CASES.
COMBINED = {
    "sgd_momentum_step": ("SGD", {"lr": 1e-4, "momentum": 0.9}, "StepLR",
                          {"step_size": 100, "gamma": 0.7}),
    "adam_cosine": ("Adam", {"lr": 1e-2}, "CosineAnnealingLR", {"T_max": 300, "eta_min": 1e-4}),
    "adam_onecycle": ("Adam", {"lr": 1e-2}, "OneCycleLR", {"max_lr": 0.05,
                                                          "total_steps": STEPS}),
    "nadam_exponential": ("NAdam", {"lr": 1e-2}, "ExponentialLR", {"gamma": 0.998}),
    "sgd_plateau": ("SGD", {"lr": 1e-4, "momentum": 0.5}, "ReduceLROnPlateau",
                    {"patience": 5, "factor": 0.5, "threshold": 1e-3}),
    "rmsprop_linear": ("RMSprop", {"lr": 1e-4}, "LinearLR", {"start_factor": 0.1,
                                                            "total_iters": 200}),
    "sgd_momentum_cyclic": ("SGD", {"lr": 1e-4, "momentum": 0.9}, "CyclicLR",
                            {"base_lr": 1e-5, "max_lr": 2e-4, "step_size_up": 150,
                             "mode": "triangular2"}),
    "adam_sequential": ("Adam", {"lr": 1e-2}, "SequentialLR",
                        {"schedulers": [("LinearLR", {"start_factor": 0.1, "total_iters": 50}),
                                        ("CosineAnnealingWarmRestarts", {"T_0": 200,
                                                                         "eta_min": 1e-4})],
                         "milestones": [50]}),
}


def problem(lib, dtype, n=200):
    x = lib.linspace(-math.pi, math.pi, n, dtype=dtype)
    X = lib.vstack((lib.ones_like(x), x, x ** 2, x ** 3)).T
    return X, lib.sin(x + 0.5)


def make_scheduler(lib, optimizer, name, kwargs):
    """``lib``'s scheduler ``name`` on ``optimizer``, with the functions and the inner
    schedulers that ``kwargs`` names (see SCHEDULES)."""
    kwargs = dict(kwargs)
    for key in ("lr_lambda", "scale_fn"):
        if isinstance(kwargs.get(key), str):
            kwargs[key] = LAMBDAS[kwargs[key]]
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [make_scheduler(lib, optimizer, *inner)
                                for inner in kwargs["schedulers"]]
    return getattr(lib.optim.lr_scheduler, name)(optimizer=optimizer, **kwargs)


def run(lib, name, kwargs, dtype, schedule=None):
    """One trajectory; ``lib`` is torch or engine (the test runs the same function).
    ``schedule`` is a scheduler's name and keyword arguments, stepped after each step."""
    X, y = problem(lib, dtype)
    beta = lib.nn.Parameter(lib.zeros(4, dtype=dtype))
    opt = getattr(lib.optim, name)([beta], **kwargs)
    scheduler = schedule and make_scheduler(lib, opt, *schedule)
    loss_fn = lib.nn.MSELoss()
    out = {}
    for step in range(1, STEPS + 1):
        if step == LR_CHANGE_AT:
            opt.param_groups[0]["lr"] *= 0.5
        loss = loss_fn(X @ beta, y)
        loss.backward()
        opt.step()
        opt.zero_grad()
        if scheduler is not None:
            scheduler.step(loss.item()) if schedule[0] == "ReduceLROnPlateau" else scheduler.step()
        if step in CHECKPOINTS:
            out[str(step)] = {"beta": beta.detach().tolist(), "loss": loss.item(),
                              "lr": opt.param_groups[0]["lr"]}
    out["state_keys"] = sorted(opt.state[beta].keys())
    return out


# LBFGS takes a closure and runs many iterations per step: a few steps suffice. Its line
# search amplifies float32 rounding strongly (PyTorch fuses ``p + t * d`` and sums dot
# products in its own order), so not every history_size/lr setting agrees to 1e-5 in float32.
LBFGS_CASES = {
    "lbfgs": {},
    "lbfgs_strong_wolfe": {"line_search_fn": "strong_wolfe"},
    "lbfgs_short_history": {"lr": 0.1, "max_iter": 5, "history_size": 3},
    "lbfgs_strong_wolfe_short": {"lr": 0.3, "max_iter": 6, "history_size": 4,
                                 "line_search_fn": "strong_wolfe"},
}
LBFGS_STEPS = 4


def run_lbfgs(lib, kwargs, dtype):
    X, y = problem(lib, dtype)
    beta = lib.nn.Parameter(lib.zeros(4, dtype=dtype))
    opt = lib.optim.LBFGS([beta], **kwargs)
    loss_fn = lib.nn.MSELoss()

    def closure():
        opt.zero_grad()
        loss = loss_fn(X @ beta, y)
        loss.backward()
        return loss

    out = []
    for _ in range(LBFGS_STEPS):
        loss = opt.step(closure)
        state = opt.state[beta]
        out.append({"beta": beta.detach().tolist(), "loss": loss.item(),
                    "func_evals": state["func_evals"], "n_iter": state["n_iter"]})
    return {"steps": out, "state_keys": list(opt.state[beta])}


def metric(epoch):
    """A made-up validation loss for ReduceLROnPlateau: falls, then plateaus with noise."""
    return max(1.0 - 0.1 * epoch, 0.3) + 0.01 * ((epoch * 7) % 3)


def run_schedule(lib, name, kwargs):
    """The lrs (and momentum or beta1) of two param groups, which start at different lrs,
    after each of SCHEDULE_STEPS scheduler steps, with the scheduler's state_dict keys and
    the warnings given (a SequentialLR starting with a ChainedScheduler steps the inner
    schedulers before the optimizer has stepped)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = _run_schedule(lib, name, kwargs)
    out["warnings"] = [str(w.message) for w in caught]
    return out


def _run_schedule(lib, name, kwargs):
    kwargs = dict(kwargs)
    optimizer = kwargs.pop("optimizer", "SGD")
    epochs = EPOCHS.get(kwargs.pop("step_epochs", None))
    params = [lib.nn.Parameter(lib.zeros(2)), lib.nn.Parameter(lib.zeros(2))]
    groups = [{"params": [params[0]]}, {"params": [params[1]], "lr": 0.05}]
    extra = {"momentum": 0.9} if optimizer == "SGD" else {}
    opt = getattr(lib.optim, optimizer)(groups, lr=0.1, **extra)
    scheduler = make_scheduler(lib, opt, name, kwargs)
    out = {"lr": [scheduler.get_last_lr()], "momentum": [], "initial_lr": [], "last_epoch": []}
    for epoch in range(SCHEDULE_STEPS):
        opt.step()
        if name == "ReduceLROnPlateau":
            scheduler.step(metric(epoch))
        elif epochs is not None:
            scheduler.step(epochs(epoch))
        else:
            scheduler.step()
        out["lr"].append(scheduler.get_last_lr())
        out["momentum"].append([g["momentum"] if "momentum" in g else g["betas"][0]
                                for g in opt.param_groups])
        out["last_epoch"].append(getattr(scheduler, "last_epoch", None))  # None: chained
    out["initial_lr"] = [g.get("initial_lr") for g in opt.param_groups]
    out["group_lr"] = [g["lr"] for g in opt.param_groups]
    out["state_keys"] = state_keys(scheduler.state_dict())
    return out


def state_keys(state, prefix=""):
    """The keys of a scheduler's state dict, then those of the schedulers' inside it, as
    ``_schedulers.0.last_epoch``."""
    keys = []
    for key, value in state.items():
        keys.append(prefix + key)
        if key == "_schedulers":
            for i, inner in enumerate(value):
                keys += state_keys(inner, f"{prefix}{key}.{i}.")
    return keys


def main():
    import torch
    golden = {}
    for key, (name, kwargs) in CASES.items():
        golden[key] = {"optimizer": name, "kwargs": {k: list(v) if isinstance(v, tuple) else v
                                                     for k, v in kwargs.items()},
                       "float64": run(torch, name, kwargs, torch.float64),
                       "float32": run(torch, name, kwargs, torch.float32)}
    golden["schedules"] = {key: run_schedule(torch, name, kwargs)
                           for key, (name, kwargs) in SCHEDULES.items()}
    golden["combined"] = {key: {dtype: run(torch, name, kwargs, getattr(torch, dtype),
                                           (sched, sched_kwargs))
                                for dtype in ("float64", "float32")}
                          for key, (name, kwargs, sched, sched_kwargs) in COMBINED.items()}
    golden["lbfgs"] = {key: {dtype: run_lbfgs(torch, kwargs, getattr(torch, dtype))
                             for dtype in ("float64", "float32")}
                       for key, kwargs in LBFGS_CASES.items()}
    path = Path(__file__).with_name("optim.json")
    path.write_text(json.dumps(golden, indent=1))
    print(f"wrote {len(CASES) + len(COMBINED)} trajectories, {len(LBFGS_CASES)} LBFGS runs and "
          f"{len(SCHEDULES)} schedules to {path}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
