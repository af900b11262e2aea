"""The training lab without a browser: the lecture's regression, runs, and the session
that owns them. Everything here is param/plain Python; pages only read it."""
import array
import collections
import dataclasses
import math
import threading
import time

import numpy as np
import param

import engine as torch

OPTIMIZERS = ("SGD", "Adam", "Adagrad", "RMSprop")
MAX_RUNS = 12
DIVERGE_FACTOR = 1e6
WATCH_FACTOR = 1e3
POINTS_PER_CURVE = 1000      # parameter snapshots kept per run (for fit/trajectory views)
PLATEAU_WINDOW = 1000        # no improvement over this many steps counts as converged
MAX_STEPS = 100_000
MODELS = {"cubic: X @ beta": "cubic", "MLP: 1 hidden layer of 16 tanh": "mlp"}
MLP_HIDDEN = 16
FLOAT32_MAX = float(np.finfo(np.float32).max)
TERMINAL = ("converged", "finished", "diverged", "errored", "stopped")


def fmt(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


# ---- validation: every setting passes here before it reaches an optimizer ---------------
def check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        return f"learning rate {lr!r} is not a number"
    if math.isnan(lr) or math.isinf(lr):
        return f"learning rate {lr} is not a finite number"
    if lr == 0:
        return "learning rate 0 never changes the parameters: nothing would train"
    if lr < 0:
        return f"learning rate {fmt(float(lr))} is negative: that climbs the loss instead of descending"
    if lr > FLOAT32_MAX:
        return f"learning rate {fmt(float(lr))} does not fit in the float32 parameters it multiplies"
    return None


def check_momentum(momentum):
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or math.isnan(momentum):
        return f"momentum {momentum!r} is not a number"
    if not 0 <= momentum < 1:
        return f"momentum {momentum} is outside [0, 1): at 1 or more the velocity never decays"
    return None


def check_steps(steps):
    if isinstance(steps, bool) or not isinstance(steps, int):
        return f"steps {steps!r} is not a whole number"
    if not 1 <= steps <= MAX_STEPS:
        return f"steps must be between 1 and {MAX_STEPS:,}, not {steps:,}"
    return None


def check_config(cfg):
    if cfg.optimizer not in OPTIMIZERS:
        return f"unknown optimizer {cfg.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}"
    if cfg.model not in MODELS.values():
        return f"unknown model {cfg.model!r}"
    if cfg.n_points not in (50, 200) or cfg.reduction not in ("sum", "mean"):
        return "the data has 50 or 200 points and the loss is reduced by 'sum' or 'mean'"
    if isinstance(cfg.seed, bool) or not isinstance(cfg.seed, int) or not 0 <= cfg.seed < 2**32:
        return f"seed {cfg.seed!r} must be a whole number in [0, 2**32)"
    error = check_lr(cfg.lr) or check_momentum(cfg.momentum) or check_steps(cfg.steps)
    if error is None and cfg.nesterov and cfg.optimizer == "SGD" and cfg.momentum == 0:
        error = "nesterov needs a momentum above 0"
    return error


# ---- the lecture's problem ---------------------------------------------------------------
class CubicModel(torch.nn.Module):
    """The lecture's Demo 2 model: y_hat = X @ beta."""

    def __init__(self, beta):
        super().__init__()
        self.beta = torch.nn.Parameter(beta)

    def forward(self, X):
        return X @ self.beta


class Problem:
    """y = sin(x) on [-pi, pi]: engine tensors to train on, float64 numpy copies for the
    least-squares reference and for drawing loss surfaces."""

    def __init__(self, model, n_points, reduction):
        self.kind, self.n_points, self.reduction = model, n_points, reduction
        x = torch.linspace(-math.pi, math.pi, n_points)
        self.targets = torch.sin(x)
        if model == "cubic":
            self.inputs = torch.vstack((torch.ones_like(x), x, x**2, x**3)).T
        else:
            self.inputs = torch.vstack((x,)).T
        self.x = np.linspace(-math.pi, math.pi, n_points)
        self.y = np.sin(self.x)
        features = np.vander(self.x, 4, increasing=True)
        self.least_squares_beta = np.linalg.lstsq(features, self.y, rcond=None)[0]
        self.least_squares_prediction = features @ self.least_squares_beta
        self.least_squares_loss = None
        self.lambda_max = None
        if model == "cubic":
            self.least_squares_loss = float(self._reduce((self.least_squares_prediction - self.y) ** 2))
            scale = 2.0 if reduction == "sum" else 2.0 / n_points
            self.lambda_max = float(np.linalg.eigvalsh(scale * features.T @ features)[-1])
        self._features = features
        self.param_names, self.shapes = [], []

    def make_model(self, seed):
        torch.manual_seed(seed)
        if self.kind == "cubic":
            model = CubicModel(torch.zeros(4))
            self.param_names = ["β0 (1)", "β1 (x)", "β2 (x²)", "β3 (x³)"]
        else:
            model = torch.nn.Sequential(torch.nn.Linear(1, MLP_HIDDEN), torch.nn.Tanh(),
                                        torch.nn.Linear(MLP_HIDDEN, 1))
            self.param_names = [f"{name}[{i}]" for name, p in model.named_parameters()
                                for i in range(int(np.prod(p.shape)))]
        self.shapes = [tuple(p.shape) for p in model.parameters()]
        return model

    @staticmethod
    def flatten(tensors):
        return np.concatenate([t.detach().numpy().ravel() for t in tensors]).astype(np.float64)

    @staticmethod
    def all_finite(tensors):
        return all(np.isfinite(t.detach().numpy()).all() for t in tensors)

    def _reduce(self, squared):
        return squared.sum(axis=-1) if self.reduction == "sum" else squared.mean(axis=-1)

    def predict(self, flat):
        """Predictions for a batch of flat parameter vectors: (G, P) -> (G, n_points)."""
        flat = np.atleast_2d(flat)
        if self.kind == "cubic":
            return flat @ self._features.T
        hidden = MLP_HIDDEN
        w1, b1 = flat[:, :hidden], flat[:, hidden:2 * hidden]
        w2, b2 = flat[:, 2 * hidden:3 * hidden], flat[:, 3 * hidden:3 * hidden + 1]
        h = np.tanh(self.x[None, :, None] * w1[:, None, :] + b1[:, None, :])
        return np.einsum("gnh,gh->gn", h, w2) + b2

    def loss_grid(self, center, i, j, xs, ys):
        """Loss over a grid of parameters i and j, the others held at `center`."""
        gx, gy = np.meshgrid(xs, ys)
        flat = np.repeat(center[None, :], gx.size, axis=0)
        flat[:, i], flat[:, j] = gx.ravel(), gy.ravel()
        losses = np.concatenate([self._reduce((self.predict(chunk) - self.y) ** 2)
                                 for chunk in np.array_split(flat, max(1, gx.size // 256))])
        return losses.reshape(gx.shape)


def describe_divergence(why, hparams, problem):
    lr = hparams["lr"]
    text = f"{why.capitalize()} (lr={fmt(float(lr))}, {hparams['optimizer']}). "
    if problem.kind == "cubic" and hparams["optimizer"] == "SGD":
        limit = 2 * (1 + hparams["momentum"]) / problem.lambda_max
        if lr > limit:
            return text + (
                f"Gradient descent on this problem is only stable for lr below about "
                f"2(1+momentum)/λmax ≈ {limit:.2g}: λmax ≈ {problem.lambda_max:.3g} is the "
                f"steepest curvature of the loss (the x³ feature makes it steep), so each "
                f"step overshoots the minimum further than the last.")
    return text + ("The steps are too large for this loss surface: each update overshoots "
                   "and the error grows instead of shrinking. Try a smaller learning rate.")


@dataclasses.dataclass(frozen=True)
class RunConfig:
    optimizer: str = "SGD"
    lr: float = 1e-4
    momentum: float = 0.0
    nesterov: bool = False
    steps: int = 10_000
    seed: int = 0
    model: str = "cubic"
    n_points: int = 200
    reduction: str = "mean"


def make_optimizer(name, params, lr, momentum=0.0, nesterov=False):
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=nesterov)
    if name == "Adam":
        return torch.optim.Adam(params, lr=lr)
    if name == "Adagrad":
        return torch.optim.Adagrad(params, lr=lr)
    if name == "RMSprop":
        return torch.optim.RMSprop(params, lr=lr, momentum=momentum)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")


def run_label(hp):
    text = f"{hp['optimizer']} lr={fmt(hp['lr'])}"
    if hp["optimizer"] in ("SGD", "RMSprop") and hp["momentum"]:
        text += f" m={fmt(hp['momentum'])}"
    if hp["optimizer"] == "SGD" and hp["nesterov"] and hp["momentum"]:
        text += " nesterov"
    return text


class Run:
    """One training run. Only the scheduler thread steps it; the UI talks to it through
    `request_change`, `pause`, `resume` and `request_steps`, and reads its lists."""

    def __init__(self, run_id, config, problem, stop_when_converged=True):
        self.id, self.config, self.problem = run_id, config, problem
        self.stop_when_converged = stop_when_converged
        self.pinned = False
        self.model = problem.make_model(config.seed)
        self.params = list(self.model.parameters())
        self.optimizer = make_optimizer(config.optimizer, self.params, config.lr,
                                        config.momentum, config.nesterov)
        self.loss_fn = torch.nn.MSELoss(reduction=config.reduction)
        self.hparams = {"optimizer": config.optimizer, "lr": config.lr,
                        "momentum": config.momentum, "nesterov": config.nesterov}
        self.total_steps = config.steps
        self.record_every = max(1, config.steps // POINTS_PER_CURVE)
        self.losses = array.array("d")      # loss at step k, before step k's update
        self.path = []                      # (step, flat parameter vector) snapshots
        self.markers = []                   # (step, text): hyper-parameter changes
        self.latest = (0, problem.flatten(self.params))
        self.status, self.detail = "idle", ""
        self.diverged_at = None
        self._pending = collections.deque()
        self._extra_steps = 0
        self._lock = threading.Lock()
        self._published_at = 0.0

    @property
    def label(self):
        return f"#{self.id} " + run_label(self.hparams)

    @property
    def step(self):
        return len(self.losses)

    def status_text(self):
        k, n = self.step, self.total_steps
        if self.status == "running":
            return f"running: step {k} of {n}"
        if self.status == "diverged":
            return f"diverged at step {self.diverged_at}"
        if self.status in ("paused", "idle"):
            return f"{self.status} at step {k} of {n}"
        if self.status == "converged":
            return f"converged at step {k}"
        if self.status == "finished":
            return f"finished {k} steps"
        return self.status

    # ---- requests from the UI thread -------------------------------------------------
    def resume(self):
        with self._lock:
            if self.status in ("idle", "paused"):
                self.status = "running"

    def pause(self):
        with self._lock:
            if self.status == "running":
                self.status = "paused"

    def stop(self):
        with self._lock:
            if self.status not in TERMINAL:
                self.status = "stopped"
            self._extra_steps = 0

    def request_steps(self, n=1):
        with self._lock:
            if self.status in ("idle", "paused"):
                self.status = "paused"
                self._extra_steps += n

    def request_change(self, key, value):
        """Queue a hyper-parameter change for the next step. Returns a note for the user."""
        if self.status in TERMINAL:
            return f"run #{self.id} has ended; the change applies to the next run"
        optimizer = value if key == "optimizer" else self.hparams["optimizer"]
        if key in ("momentum", "nesterov") and optimizer not in ("SGD", "RMSprop"):
            return f"{key} has no effect on {optimizer}"
        if key == "nesterov" and optimizer != "SGD":
            return "nesterov applies to SGD only"
        if key == "steps" and value <= self.step:
            return f"run #{self.id} is already at step {self.step}"
        self._pending.append((key, value))
        return f"run #{self.id}: {key} → {fmt(value)} from the next step"

    def has_work(self):
        return (self.status == "running" or self._extra_steps > 0) and self.status not in TERMINAL

    # ---- the scheduler thread --------------------------------------------------------
    def advance(self, n):
        """Do up to n steps; returns how many were done. Never raises."""
        done = 0
        try:
            with np.errstate(all="ignore"):
                while done < n and self._take_step_permit():
                    self._step()
                    done += 1
        except Exception as exc:    # a fault in one run must not take the others down
            self._finish("errored", f"{type(exc).__name__}: {exc}")
        self._publish_latest()
        return done

    def _take_step_permit(self):
        with self._lock:
            if self.status in TERMINAL:
                return False
            if self.step >= self.total_steps:
                self.status = "finished"
                return False
            if self.status == "running":
                return True
            if self._extra_steps > 0:
                self._extra_steps -= 1
                return True
            return False

    def _step(self):
        if self._pending:
            self._apply_pending()
        k = self.step
        snapshot = k % self.record_every == 0
        if snapshot:
            self.path.append((k, self.problem.flatten(self.params)))
        loss = self.loss_fn(self.model(self.problem.inputs).squeeze(), self.problem.targets)
        value = loss.item()
        if not math.isfinite(value):
            if not self.problem.all_finite(self.params):
                return self._diverge(k, "a parameter became non-finite")
            return self._diverge(k, f"the loss became {value}")
        self.losses.append(value)
        if value > DIVERGE_FACTOR * max(self.losses[0], 1e-30):
            return self._diverge(k, "the loss grew past 1e6 × its starting value")
        loss.backward()
        # A finite loss far below 1e6 x its start cannot come with an overflowed
        # gradient, so the costly element-wise checks run only near the danger zone
        # (and at every snapshot, to be safe).
        watch = snapshot or value > WATCH_FACTOR * self.losses[0]
        if watch and not self.problem.all_finite(p.grad for p in self.params):
            return self._diverge(k, "a gradient became non-finite")
        self.optimizer.step()
        self.optimizer.zero_grad()
        if watch and not self.problem.all_finite(self.params):
            return self._diverge(k + 1, "a parameter became non-finite")
        if self.stop_when_converged and k % 100 == 0 and self._converged(k, value):
            self._finish("converged", self._converged_note(value))

    def _converged(self, k, value):
        best = self.problem.least_squares_loss
        if best is not None and value - best <= 1e-4 * best + 1e-12:
            return True
        return k >= PLATEAU_WINDOW and self.losses[k - PLATEAU_WINDOW] <= value

    def _converged_note(self, value):
        best = self.problem.least_squares_loss
        if best is not None:
            return f"loss {value:.6g} is within 0.01% of the least-squares loss {best:.6g}"
        return f"the loss stopped improving over the last {PLATEAU_WINDOW} steps"

    def _apply_pending(self):
        while self._pending:
            key, value = self._pending.popleft()
            self.hparams[key] = value
            if key == "optimizer":
                hp = self.hparams
                self.optimizer = make_optimizer(value, self.params, hp["lr"],
                                                hp["momentum"], hp["nesterov"])
            elif key == "steps":
                self.total_steps = value
            else:
                for group in self.optimizer.param_groups:
                    if key in group:
                        group[key] = value
            self.markers.append((self.step, f"{key}→{fmt(value)}"))

    def _diverge(self, k, why):
        self.diverged_at = k
        self._finish("diverged", describe_divergence(why, self.hparams, self.problem))

    def _finish(self, status, detail):
        with self._lock:
            if self.status != "stopped":
                self.status, self.detail = status, detail
            self._extra_steps = 0

    def _publish_latest(self):
        now = time.monotonic()
        if self.status == "running" and now - self._published_at < 0.02:
            return
        self._published_at = now
        if self.status != "diverged":
            self.latest = (self.step, self.problem.flatten(self.params))
        elif self.path:
            self.latest = self.path[-1]

    def loss_curve(self):
        return np.frombuffer(self.losses, dtype=np.float64).copy()


class _Scheduler:
    """One process-wide thread advances every session's runs in small time slices, so
    the server loop only ever competes with one GIL-bound trainer (STACK.md §2)."""

    slice_s = 0.008

    def __init__(self):
        self._lock = threading.Lock()
        self._sessions = []
        self._thread = None
        self.busy_with = None

    def wake(self, session):
        with self._lock:
            if session not in self._sessions:
                self._sessions.append(session)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, daemon=True,
                                                name="tapescope-training")
                self._thread.start()

    def forget(self, session):
        with self._lock:
            if session in self._sessions:
                self._sessions.remove(session)

    def is_scheduled(self, session):
        with self._lock:
            return session in self._sessions

    @property
    def thread(self):
        return self._thread

    def _loop(self):
        with np.errstate(all="ignore"):   # numpy's error state is per thread
            self._serve()

    def _serve(self):
        while True:
            with self._lock:
                sessions = list(self._sessions)
                if not sessions:
                    self._thread = None
                    return
            started = time.perf_counter()
            for session in sessions:
                self.busy_with = session
                working = session._advance_slice(self.slice_s)
                self.busy_with = None
                if not working:
                    with self._lock:
                        if session in self._sessions and not session.has_work():
                            self._sessions.remove(session)
            # Each open session also costs the server loop its streaming; leave it
            # room in proportion (none with one session: GIL switching suffices).
            n = len(sessions)
            time.sleep((time.perf_counter() - started) * (n - 1) / (n + 3))


SCHEDULER = _Scheduler()


def _round_sig(x):
    return float(f"{x:.2g}")


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

    def __init__(self, stop_when_converged=True, **params):
        super().__init__(**params)
        self.runs, self.current = [], None
        self.stop_when_converged = stop_when_converged
        self._next_id, self._quiet, self._closed = 1, False, False
        self._problems = {}

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
        key = (config.model, config.n_points, config.reduction)
        problem = self._problems.get(key) or self._problems.setdefault(key, Problem(*key))
        run = Run(self._next_id, config, problem, self.stop_when_converged)
        self._next_id += 1
        run.pinned = pinned
        self.runs = self.runs + [run]
        self.current = run
        if paused:
            run.status = "paused"
        else:
            run.resume()
            SCHEDULER.wake(self)
        self.message = f"started {run.label}"
        return run

    def start(self):
        """The Run button: resume what is paused, else start a new current run."""
        paused = [r for r in self.runs if r.status in ("idle", "paused")]
        if not paused:
            return self.start_run()
        for run in paused:
            run.resume()
        SCHEDULER.wake(self)
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
            run.request_steps(n)
            SCHEDULER.wake(self)
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

    def close(self, timeout=2.0):
        """Stop every run and leave the scheduler (a closed tab must cost nothing)."""
        self._closed = True
        for run in self.runs:
            run.stop()
        SCHEDULER.forget(self)
        deadline = time.monotonic() + timeout
        while SCHEDULER.busy_with is self and time.monotonic() < deadline:
            time.sleep(0.005)

    # ---- the scheduler thread --------------------------------------------------------
    def _advance_slice(self, budget_s):
        active = [run for run in self.runs if run.has_work()]
        if not active or self._closed:
            return False
        per_run = max(1, int(budget_s / (len(active) * self._seconds_per_step())))
        started = time.perf_counter()
        done = sum(run.advance(per_run) for run in active)
        if done:
            self._step_cost = (time.perf_counter() - started) / done
        return True

    def _seconds_per_step(self):
        return getattr(self, "_step_cost", 2e-4)

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
        SCHEDULER.wake(self)

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
