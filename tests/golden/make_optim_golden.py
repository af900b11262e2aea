"""Writes tests/golden/optim.json: optimizer trajectories on the lecture's problem, made
with real PyTorch (``pip install torch==2.13.0``; run from the repository root).

Each case fits the lecture's cubic features to y = sin(x + 0.5) from beta = 0, records the
parameters and the loss at a few checkpoints, and changes ``lr`` mid-run once to check
that hyper-parameters are read from the param group at every step. (The phase shift gives
every coefficient a real gradient: with the lecture's sin(x) two coefficients are zero by
symmetry, and adaptive optimizers blow their rounding noise up to full steps, which no
two implementations share.)
"""
import json
import math
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
}
STEPS, CHECKPOINTS, LR_CHANGE_AT = 1000, (1, 10, 100, 500, 1000), 600


def problem(lib, dtype, n=200):
    x = lib.linspace(-math.pi, math.pi, n, dtype=dtype)
    X = lib.vstack((lib.ones_like(x), x, x ** 2, x ** 3)).T
    return X, lib.sin(x + 0.5)


def run(lib, name, kwargs, dtype):
    """One trajectory; ``lib`` is torch or engine (the test runs the same function)."""
    X, y = problem(lib, dtype)
    beta = lib.nn.Parameter(lib.zeros(4, dtype=dtype))
    opt = getattr(lib.optim, name)([beta], **kwargs)
    loss_fn = lib.nn.MSELoss()
    out = {}
    for step in range(1, STEPS + 1):
        if step == LR_CHANGE_AT:
            opt.param_groups[0]["lr"] *= 0.5
        loss = loss_fn(X @ beta, y)
        loss.backward()
        opt.step()
        opt.zero_grad()
        if step in CHECKPOINTS:
            out[str(step)] = {"beta": beta.detach().tolist(), "loss": loss.item()}
    out["state_keys"] = sorted(opt.state[beta].keys())
    return out


def main():
    import torch
    golden = {}
    for key, (name, kwargs) in CASES.items():
        golden[key] = {"optimizer": name, "kwargs": {k: list(v) if isinstance(v, tuple) else v
                                                     for k, v in kwargs.items()},
                       "float64": run(torch, name, kwargs, torch.float64),
                       "float32": run(torch, name, kwargs, torch.float32)}
    path = Path(__file__).with_name("optim.json")
    path.write_text(json.dumps(golden, indent=1))
    print(f"wrote {len(golden)} trajectories to {path}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
