"""The training process: every session's runs train here, apart from the server, whose
event loop never waits for the GIL of a pure-Python autograd step (STACK.md §2).

The server sends commands (`app.runs.TrainerLink`); this process trains the runs in short
slices, a session at a time, and sends back what each run did since it last reported.
Started as `python -m app.trainer FD`, FD being its end of a socket pair; it exits when the
server's end closes.
"""
import collections
import math
import os
import select
import sys
import time
from multiprocessing.connection import Connection

import numpy as np

import engine as torch
from app.problem import (
    DIVERGE_FACTOR,
    PLATEAU_WINDOW,
    TERMINAL,
    WATCH_FACTOR,
    describe_divergence,
    fmt,
    make_optimizer,
    problem_for,
)
from app.runs import RunRecord

SLICE_S = 0.008          # one session's turn
URGENT_SLICE_S = 0.0     # a session whose user just changed something: one step per run, now
REPORT_EVERY_S = 0.03
STATE_CHANGES = ("resume", "pause", "stop", "add_steps")
NICENESS = 10            # training is background work: pages and the server loop go first


class LiveRun(RunRecord):
    """A run with its model and optimizer: steps, changes and divergence checks."""

    def __init__(self, run_id, config, problem, stop_when_converged=True, device="cpu"):
        super().__init__(run_id, config, problem)
        self.stop_when_converged = stop_when_converged
        self.model = problem.make_model(config.seed).to(device)
        self.params = list(self.model.parameters())
        self.device = str(self.params[0].device)
        self.inputs, self.targets = problem.inputs.to(device), problem.targets.to(device)
        self.optimizer = make_optimizer(config.optimizer, self.params, config.lr,
                                        config.momentum, config.nesterov)
        self.loss_fn = torch.nn.MSELoss(reduction=config.reduction)
        self._pending = collections.deque()
        self._reported = (0, 0, 0)   # losses, markers and path entries already sent

    def request_change(self, key, value):
        self._pending.append((key, value))

    def advance(self, n):
        """Do up to n steps; returns how many were done. Never raises."""
        done = 0
        try:
            while done < n and self._take_step_permit():
                self._step()
                done += 1
        except Exception as exc:    # a fault in one run must not take the others down
            self._finish("errored", f"{type(exc).__name__}: {exc}")
        return done

    def report(self):
        """What changed since the last report, for the server's copy of this run."""
        losses, markers, path = self._reported
        self._reported = (len(self.losses), len(self.markers), len(self.path))
        if self.status == "diverged" and self.path:
            latest = self.path[-1]
        else:
            latest = (self.step, self._flat(self.params))
        return dict(losses=self.losses[losses:].tobytes(), markers=self.markers[markers:],
                    path=self.path[path:], latest=latest, hparams=dict(self.hparams),
                    total_steps=self.total_steps, status=self.status, detail=self.detail,
                    diverged_at=self.diverged_at, extra_steps=self.extra_steps,
                    device=self.device)

    def _flat(self, tensors):
        """One float64 numpy vector, whatever device the tensors are on."""
        return self.problem.flatten([t.detach().cpu() for t in tensors])

    def _finite(self, tensors):
        return self.problem.all_finite(t.detach().cpu() for t in tensors)

    def _take_step_permit(self):
        if self.status in TERMINAL:
            return False
        if self.step >= self.total_steps:
            self.status = "finished"
            return False
        if self.status == "running":
            return True
        if self.extra_steps > 0:
            self.extra_steps -= 1
            return True
        return False

    def _step(self):
        if self._pending:
            self._apply_pending()
        k = self.step
        snapshot = k % self.record_every == 0
        if snapshot:
            self.path.append((k, self._flat(self.params)))
        loss = self.loss_fn(self.model(self.inputs).squeeze(), self.targets)
        value = loss.item()
        if not math.isfinite(value):
            if not self._finite(self.params):
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
        if watch and not self._finite(p.grad for p in self.params):
            return self._diverge(k, "a gradient became non-finite")
        self.optimizer.step()
        self.optimizer.zero_grad()
        if watch and not self._finite(self.params):
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
        if self.status != "stopped":
            self.status, self.detail = status, detail
        self.extra_steps = 0


class Trainer:
    """Every run of every session, keyed (session, run id), and the commands that steer them."""

    def __init__(self, conn):
        self.conn = conn
        self.runs = {}
        self.seqs = {}            # run key -> the last command applied to it
        self._commands = select.poll()   # cheaper than conn.poll(0) between steps
        self._commands.register(conn.fileno(), select.POLLIN)
        self._changed, self._urgent = set(), set()
        self._reported_at, self._commanded = 0.0, False

    # ---- commands ------------------------------------------------------------------
    def receive(self, timeout):
        """Apply the commands that arrive within `timeout`; False once the server is gone."""
        try:
            while self.conn.poll(timeout):
                self.handle(*self.conn.recv())
                timeout = 0
        except (EOFError, OSError):
            return False
        return True

    def handle(self, op, key, seq, *args):
        if op == "start":
            config, stop_when_converged, device = args
            problem = problem_for(config.model, config.n_points, config.reduction)
            self.runs[key] = LiveRun(key[1], config, problem, stop_when_converged, device)
        run = self.runs.get(key)
        if run is None:
            return
        if op == "change":
            run.request_change(*args)
        elif op in STATE_CHANGES:
            getattr(run, op)(*args)         # RunRecord's rules, as the server's copy applied them
        self.seqs[key] = seq
        self._changed.add(key)
        self._urgent.add(key[0])
        self._commanded = True

    # ---- training --------------------------------------------------------------------
    def busy(self):
        return any(run.has_work() for run in self.runs.values())

    def train_round(self):
        """Each session with work gets one slice; the server is listened to after each."""
        sessions = {key[0] for key, run in self.runs.items() if run.has_work()}
        for session in sorted(sessions):
            self._advance(session, SLICE_S)
            self.receive(0)
            while self._urgent:
                self._advance(self._urgent.pop(), URGENT_SLICE_S)
            self.report()

    def _advance(self, session, budget_s):
        """The session's runs take a step each in turn until the budget is spent, or at
        once when a command waits: a slice is bounded in wall time, so a command is heard
        soon even when this process is kept waiting for the CPU."""
        active = [(key, run) for key, run in self.runs.items()
                  if key[0] == session and run.has_work()]
        deadline = time.perf_counter() + budget_s
        while active:
            for key, run in active:
                run.advance(1)
                self._changed.add(key)
            active = [(key, run) for key, run in active if run.has_work()]
            if time.perf_counter() >= deadline or self._commands.poll(0):
                return

    # ---- reports ---------------------------------------------------------------------
    def report(self):
        """Send what changed, at most every REPORT_EVERY_S unless a command just arrived or
        training stopped; runs that ended are reported one last time and dropped."""
        now = time.monotonic()
        due = self._commanded or now - self._reported_at >= REPORT_EVERY_S or not self.busy()
        if not self._changed or not due:
            return
        self._reported_at, self._commanded = now, False
        batch = []
        for key in self._changed:
            run = self.runs.get(key)
            if run is None:
                continue
            batch.append({"key": key, "seq": self.seqs.get(key, 0), **run.report()})
            if run.status in TERMINAL:
                self._drop(key)
        self._changed.clear()
        self.conn.send(batch)

    def _drop(self, key):
        del self.runs[key]
        self.seqs.pop(key, None)


def serve(conn):
    os.nice(NICENESS)
    trainer = Trainer(conn)
    with np.errstate(all="ignore"):
        try:
            while trainer.receive(0 if trainer.busy() else 0.5):
                trainer.report()
                trainer.train_round()
        except (BrokenPipeError, ConnectionResetError):
            pass                            # the server went away


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
