"""The training lab without a browser: the session that owns a student's runs, and the
presets that reproduce the lecture's figures. Everything here is param/plain Python;
pages only read it. The runs train in the training process (`app.trainer`)."""
import math
import time

import param

import engine as torch  # tests and benchmarks reach the engine through here too
from app.problem import (MAX_RUNS, MAX_STEPS, MODELS, OPTIMIZERS, POINTS_PER_CURVE,  # noqa: F401
                         TERMINAL, Problem, RunConfig, check_config, check_lr, check_momentum,
                         check_steps, fmt, problem_for)
from app.runs import TRAINER, Run

def _round_sig(x):
    return float(f"{x:.2g}")


def check_device(device):
    """Why runs cannot train on `device` here, or None."""
    try:
        torch.zeros(1, device=device)  # the engine's own checks, with PyTorch's errors
    except AssertionError:
        return "the cuda device needs cupy and an NVIDIA GPU, and they are not here; use cpu"
    except (RuntimeError, TypeError, ValueError) as exc:
        return f"{device!r}: {exc}"
    return None


PRESETS = {
    "learning rate": [dict(lr=lr) for lr in (1e-3, 1e-4, 1e-5, 1e-6)],
    "momentum": [dict(lr=1e-4, momentum=m) for m in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99)],
    "optimizer": [dict(lr=1e-4, optimizer=name) for name in ("SGD", "Adam", "Adagrad")],
}
PRESET_BASE = dict(model="cubic", n_points=200, reduction="mean", steps=10_000)  # the lecture's figures


class TrainingSession(param.Parameterized):
    """One browser tab's (or one script's) training lab: settings as params, runs as a list.
    The settings drive the *current* run live; other runs are kept for comparison."""

    model = param.Selector(objects=MODELS, default="cubic", doc="The model being fitted")
    n_points = param.Selector(objects=[50, 200], default=200, label="data points")
    reduction = param.Selector(objects=["mean", "sum"], default="mean", label="MSE reduction")
    optimizer = param.Selector(objects=list(OPTIMIZERS), default="SGD")
    lr = param.Number(1e-4, label="learning rate", doc="Any value; checked before use")
    lr_log10 = param.Number(-4.0, bounds=(-6, 0), step=0.1, label="learning rate (log scale)")
    momentum = param.Number(0.0, softbounds=(0, 0.99), step=0.01, doc="SGD and RMSprop only")
    nesterov = param.Boolean(False, doc="SGD with momentum only")
    steps = param.Integer(10_000, softbounds=(1, MAX_STEPS))
    seed = param.Integer(0, doc="Seeds the MLP's initial weights; the cubic model starts at beta = 0")
    message = param.String("", doc="What the last action did, or why it was refused")
    run = param.Event(label="Run")
    pause = param.Event(label="Pause")
    step = param.Event(label="Step")
    reset = param.Event(label="Reset")
    add_to_comparison = param.Event(label="Add to comparison")
    preset_learning_rate = param.Event(label="Figure: learning rates")
    preset_momentum = param.Event(label="Figure: momentum")
    preset_optimizer = param.Event(label="Figure: optimizers")

    def __init__(self, stop_when_converged=True, device="cpu", **params):
        error = check_device(device)
        if error:
            raise ValueError(error)
        super().__init__(**params)
        self.device = device
        self.runs, self.current = [], None
        self.stop_when_converged = stop_when_converged
        self._next_id, self._quiet, self._closed = 1, False, False
        self._id = next(TRAINER.session_ids)
        self.on_marker = None   # a page's "show this change now" (called from another thread)

    # ---- headless API ----------------------------------------------------------------
    def settings(self, **overrides):
        values = dict(optimizer=self.optimizer, lr=self.lr, momentum=self.momentum,
                      nesterov=self.nesterov, steps=self.steps, seed=self.seed,
                      model=self.model, n_points=self.n_points, reduction=self.reduction)
        return RunConfig(**{**values, **overrides})

    def start_run(self, config=None, pinned=False, paused=False):
        """Create a run from `config` (default: the current settings) and start it.
        Returns the Run, or None with the reason in `message`."""
        config = config or self.settings()
        error = "this session is closed" if self._closed else check_config(config)
        if error is None and len([r for r in self.runs if r is not self.current]) >= MAX_RUNS:
            error = f"at most {MAX_RUNS} runs at once: press Reset to clear them"
        if error:
            self.message = error
            return None
        if self.current is not None and not self.current.pinned:
            self.current.stop()
            self.runs.remove(self.current)
        problem = problem_for(config.model, config.n_points, config.reduction)
        run = Run(self._id, self._next_id, config, problem, self.stop_when_converged,
                  on_marker=self._marker_arrived, device=self.device)
        self._next_id += 1
        run.pinned = pinned
        self.runs = self.runs + [run]
        self.current = run
        if not paused:
            run.resume()
        self.message = f"started {run.label}"
        return run

    def start(self):
        """The Run button: resume what is paused, else start a new current run."""
        paused = [r for r in self.runs if r.status in ("idle", "paused")]
        if not paused:
            return self.start_run()
        for run in paused:
            run.resume()
        self.message = f"resumed {len(paused)} run(s)"
        return self.current

    def pause_all(self):
        for run in self.runs:
            run.pause()
        self.message = "paused"

    def step_current(self, n=1):
        run = self.current
        if run is None or run.status in TERMINAL:
            run = self.start_run(paused=True)
        if run is not None:
            run.pause()
            run.add_steps(n)
        return run

    def reset_runs(self):
        for run in self.runs:
            run.stop()
        self.runs, self.current = [], None
        self.message = "cleared all runs"

    def keep_for_comparison(self):
        if self.current is None:
            self.message = "no run to keep: press Run first"
            return
        self.current.pinned = True
        self.message = f"kept {self.current.label}; change the settings and press Run to compare"
        self.current = None

    def start_preset(self, name):
        """One of the lecture's three figures, all runs racing together."""
        self.reset_runs()
        runs = []
        for overrides in PRESETS[name]:
            runs.append(self.start_run(RunConfig(**{**PRESET_BASE, **overrides}), pinned=True))
        self._sync_settings(runs[-1].config)
        self.message = f"figure '{name}': {len(runs)} runs of {PRESET_BASE['steps']:,} steps"
        return runs

    def has_work(self):
        return any(run.has_work() for run in self.runs)

    def wait_until_idle(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while self.has_work() and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self.has_work()

    def _marker_arrived(self):
        if self.on_marker is not None:
            self.on_marker()

    def close(self):
        """Stop every run (a closed tab must cost nothing)."""
        self._closed = True
        for run in self.runs:
            run.stop()

    # ---- settings steer the current run ----------------------------------------------
    def _sync_settings(self, config):
        self._quiet = True
        try:
            self.param.update(optimizer=config.optimizer, lr=config.lr, momentum=config.momentum,
                              nesterov=config.nesterov, steps=config.steps, model=config.model,
                              n_points=config.n_points, reduction=config.reduction,
                              lr_log10=min(0.0, max(-6.0, math.log10(config.lr))))
        finally:
            self._quiet = False

    def _steer(self, key, value):
        if self._quiet:
            return
        if self.current is None or self.current.status in TERMINAL:
            self.message = f"{key} = {fmt(value)} applies to the next run"
            return
        self.message = self.current.request_change(key, value)

    @param.depends("lr", watch=True)
    def _on_lr(self):
        error = check_lr(self.lr)
        if error:
            self.message = error
            return
        if 1e-6 <= self.lr <= 1 and not self._quiet:
            self._quiet = True
            try:
                self.lr_log10 = round(math.log10(self.lr), 2)
            finally:
                self._quiet = False
        self._steer("lr", float(self.lr))

    @param.depends("lr_log10", watch=True)
    def _on_lr_slider(self):
        if not self._quiet:
            self.lr = _round_sig(10 ** self.lr_log10)

    @param.depends("momentum", watch=True)
    def _on_momentum(self):
        error = check_momentum(self.momentum)
        if error:
            self.message = error
        else:
            self._steer("momentum", float(self.momentum))

    @param.depends("nesterov", watch=True)
    def _on_nesterov(self):
        self._steer("nesterov", bool(self.nesterov))

    @param.depends("optimizer", watch=True)
    def _on_optimizer(self):
        self._steer("optimizer", self.optimizer)

    @param.depends("steps", watch=True)
    def _on_steps(self):
        error = check_steps(self.steps)
        if error:
            self.message = error
        else:
            self._steer("steps", self.steps)

    @param.depends("model", "n_points", "reduction", "seed", watch=True)
    def _on_problem(self):
        if not self._quiet:
            self.message = "data, model and seed changes apply to the next run: press Run"

    @param.depends("run", watch=True)
    def _on_run(self):
        self.start()

    @param.depends("pause", watch=True)
    def _on_pause(self):
        self.pause_all()

    @param.depends("step", watch=True)
    def _on_step(self):
        self.step_current()

    @param.depends("reset", watch=True)
    def _on_reset(self):
        self.reset_runs()

    @param.depends("add_to_comparison", watch=True)
    def _on_keep(self):
        self.keep_for_comparison()

    @param.depends("preset_learning_rate", watch=True)
    def _on_preset_learning_rate(self):
        self.start_preset("learning rate")

    @param.depends("preset_momentum", watch=True)
    def _on_preset_momentum(self):
        self.start_preset("momentum")

    @param.depends("preset_optimizer", watch=True)
    def _on_preset_optimizer(self):
        self.start_preset("optimizer")
