"""Training runs as the server sees them, and its link to the training process.

A run trains in the training process (`app.trainer`); the server holds a `Run`, a copy
that the page reads and that forwards the user's requests. Both sides share `RunRecord`:
a run's fields, how it is shown, and the rules of its state changes, so the copy can show
a pause at once and the training process applies the same rule when the command arrives.
"""
import array
import itertools
import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from app.problem import POINTS_PER_CURVE, TERMINAL, fmt, run_label


class RunRecord:
    """One run's settings, progress and state."""

    def __init__(self, run_id, config, problem):
        self.id, self.config, self.problem = run_id, config, problem
        self.hparams = {"optimizer": config.optimizer, "lr": config.lr,
                        "momentum": config.momentum, "nesterov": config.nesterov}
        self.total_steps = config.steps
        self.record_every = max(1, config.steps // POINTS_PER_CURVE)
        self.losses = array.array("d")      # loss at step k, before step k's update
        self.path = []                      # (step, flat parameter vector) snapshots
        self.markers = []                   # (step, text): hyper-parameter changes
        self.status, self.detail = "idle", ""
        self.diverged_at = None
        self.extra_steps = 0                # single steps asked for while paused
        self.device = None                  # where it trains, once the training process says

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

    def has_work(self):
        return (self.status == "running" or self.extra_steps > 0) and self.status not in TERMINAL

    def loss_curve(self):
        return np.frombuffer(self.losses, dtype=np.float64).copy()

    # ---- state changes -----------------------------------------------------------------
    def resume(self):
        if self.status in ("idle", "paused"):
            self.status = "running"

    def pause(self):
        if self.status == "running":
            self.status = "paused"

    def stop(self):
        if self.status not in TERMINAL:
            self.status = "stopped"
        self.extra_steps = 0

    def add_steps(self, n):
        if self.status in ("idle", "paused"):
            self.status = "paused"
            self.extra_steps += n

    def refuse_change(self, key, value):
        """Why a hyper-parameter change cannot apply to this run, or None."""
        if self.status in TERMINAL:
            return f"run #{self.id} has ended; the change applies to the next run"
        optimizer = value if key == "optimizer" else self.hparams["optimizer"]
        if key in ("momentum", "nesterov") and optimizer not in ("SGD", "RMSprop"):
            return f"{key} has no effect on {optimizer}"
        if key == "nesterov" and optimizer != "SGD":
            return "nesterov applies to SGD only"
        if key == "steps" and value <= self.step:
            return f"run #{self.id} is already at step {self.step}"
        return None


class Run(RunRecord):
    """The server's copy of a run: requests go to the training process, its reports come
    back through `TrainerLink`. State changes show at once; a report only overrides them
    once the training process has seen every command sent (`seq`)."""

    def __init__(self, session_id, run_id, config, problem, stop_when_converged=True,
                 on_marker=None, device="cpu"):
        super().__init__(run_id, config, problem)
        self.key = (session_id, run_id)
        self.on_marker = on_marker      # called (on the link's thread) when a change took effect
        self.pinned = False
        self.latest = (0, problem.flatten(problem.make_model(config.seed).parameters()))
        self._sent = 0
        self._lock = threading.Lock()   # held for microseconds: a request vs. a report
        TRAINER.send(self, "start", config, stop_when_converged, device)

    def _request(self, op, *args):
        with self._lock:
            if op != "change":
                getattr(RunRecord, op)(self, *args)
            self._sent += 1
            TRAINER.send(self, op, *args)

    def resume(self):
        self._request("resume")

    def pause(self):
        self._request("pause")

    def stop(self):
        self._request("stop")

    def add_steps(self, n):
        self._request("add_steps", n)

    def request_change(self, key, value):
        """Queue a hyper-parameter change for the run's next step. Returns a note for the user."""
        refusal = self.refuse_change(key, value)
        if refusal:
            return refusal
        self._request("change", key, value)
        return f"run #{self.id}: {key} → {fmt(value)} from the next step"

    def receive(self, report):
        """A report from the training process (on the link's thread)."""
        self.losses.frombytes(report["losses"])
        self.markers.extend(report["markers"])
        self.path.extend(report["path"])
        self.latest = report["latest"]
        self.hparams, self.total_steps = report["hparams"], report["total_steps"]
        self.device = report["device"]
        with self._lock:
            # An ended run ends for good: its state stands even over commands sent since.
            if report["seq"] >= self._sent or report["status"] in TERMINAL:
                self.status, self.detail = report["status"], report["detail"]
                self.diverged_at, self.extra_steps = report["diverged_at"], report["extra_steps"]
        if report["markers"] and self.on_marker is not None:
            self.on_marker()

    def lost(self, why):
        with self._lock:
            if self.status not in TERMINAL:
                self.status, self.detail, self.extra_steps = "errored", why, 0


class TrainerLink:
    """The server's end of the training process, started on first use: commands go out
    from any thread; one thread reads the reports and hands them to the runs."""

    def __init__(self):
        self._lock = threading.Lock()
        self._conn, self.process = None, None
        self._runs = {}                         # key -> Run still training
        self.session_ids = itertools.count(1)

    def send(self, run, op, *args):
        with self._lock:
            if op == "start":
                self._runs[run.key] = run
            if run.status in TERMINAL:
                self._runs.pop(run.key, None)
            try:
                self._connection().send((op, run.key, run._sent, *args))
            except OSError:
                self._runs.pop(run.key, None)
                run.status, run.detail = "errored", "the training process could not be reached"

    def _connection(self):
        if self._conn is None:
            ours, theirs = socket.socketpair()
            package_root = str(Path(__file__).resolve().parents[1])
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(
                filter(None, [package_root, os.environ.get("PYTHONPATH")])))
            with theirs:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "app.trainer", str(theirs.fileno())],
                    pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
            self._conn = Connection(ours.detach())
            threading.Thread(target=self._receive, args=(self._conn, self.process), daemon=True,
                             name="tapescope-trainer-link").start()
        return self._conn

    def _receive(self, conn, process):
        try:
            while True:
                for report in conn.recv():
                    with self._lock:
                        run = self._runs.get(report["key"])
                        if run is not None and report["status"] in TERMINAL:
                            del self._runs[report["key"]]
                    if run is not None:
                        run.receive(report)
        except (EOFError, OSError):
            pass
        with self._lock:
            if self._conn is conn:
                self._conn = None
            orphans, self._runs = list(self._runs.values()), {}
        for run in orphans:
            run.lost("the training process stopped; press Run to start again")
        conn.close()
        process.wait()

    def training(self):
        """How many runs the training process holds for this server."""
        with self._lock:
            return len(self._runs)


TRAINER = TrainerLink()
