"""Training runs and the one thread that advances them in short slices, so no session
ever blocks the server's event loop."""
import array
import collections
import math
import threading
import time

import numpy as np

import engine as torch
from app.problem import (DIVERGE_FACTOR, PLATEAU_WINDOW, POINTS_PER_CURVE, TERMINAL,
                         WATCH_FACTOR, describe_divergence, fmt, make_optimizer, run_label)

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
