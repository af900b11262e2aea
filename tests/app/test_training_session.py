"""The headless training session: the lecture's numbers, presets, live changes,
divergence and absurd input, without a browser."""
import dataclasses
import math
import os
import socket
import threading
import time

import numpy as np
import pytest

import app.training as training
from app.runs import TRAINER
from app.trainer import Trainer
from app.training import RunConfig, TrainingSession

DEMO2 = RunConfig(optimizer="SGD", lr=1e-5, steps=3000, n_points=200, reduction="sum")


@pytest.fixture(autouse=True)
def close_every_session(monkeypatch):
    """Sessions a test opened are closed after it, so no test inherits another's runs."""
    opened = []
    original = TrainingSession.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(TrainingSession, "__init__", init)
    yield
    for s in opened:
        s.close()


@pytest.fixture
def session():
    return TrainingSession()


def finished(session, timeout=120):
    assert session.wait_until_idle(timeout), [r.status_text() for r in session.runs]
    return session.runs


def test_demo2_numbers_come_out(session):
    run = session.start_run(DEMO2)
    finished(session)
    beta = run.latest[1]
    assert run.status == "finished" and run.step == 3000
    assert run.losses[0] == pytest.approx(np.sum(np.sin(np.linspace(-math.pi, math.pi, 200)) ** 2), rel=1e-5)
    assert beta[1] == pytest.approx(0.852953, abs=2e-4)
    assert beta[3] == pytest.approx(-0.0925918, abs=5e-5)
    assert abs(beta[0]) < 1e-4 and abs(beta[2]) < 1e-4


def test_least_squares_reference_matches_the_lecture_ols():
    problem = training.Problem("cubic", 50, "sum")
    assert problem.least_squares_beta[1] == pytest.approx(0.8476289, abs=1e-6)
    assert problem.least_squares_beta[3] == pytest.approx(-0.09120167, abs=1e-7)


@pytest.fixture
def short_presets(monkeypatch):
    monkeypatch.setitem(training.PRESET_BASE, "steps", 400)


def test_three_presets_run_and_read_back(session, short_presets):
    curves = {}
    for name, size in [("learning rate", 4), ("momentum", 7), ("optimizer", 3)]:
        runs = session.start_preset(name)
        assert len(runs) == size and session.runs == runs
        finished(session)
        curves[name] = {run.label: run.loss_curve() for run in runs}
        for run in runs:
            assert run.status in ("finished", "converged"), run.status_text()
            assert len(run.losses) >= 100 and np.isfinite(run.loss_curve()).all()
    lr = [c[-1] for c in curves["learning rate"].values()]
    assert lr == sorted(lr), "larger learning rates get lower within the same steps"
    momentum = curves["momentum"]
    assert momentum["#10 SGD lr=0.0001 m=0.9"][-1] < momentum["#5 SGD lr=0.0001"][-1]
    assert set(curves["optimizer"]) == {"#12 SGD lr=0.0001", "#13 Adam lr=0.0001", "#14 Adagrad lr=0.0001"}


def test_lr_change_mid_run_takes_effect_at_next_step_and_is_marked(session):
    run = session.step_current(50)
    assert session.wait_until_idle(30) and run.step == 50 and run.status == "paused"
    session.lr = 3e-4
    assert run.request_change("lr", 3e-4).startswith("run #1")
    session.step_current(1)
    session.wait_until_idle(30)
    assert run.hparams["lr"] == pytest.approx(3e-4)
    assert run.markers[0] == (50, "lr→0.0003") and "lr=0.0003" in run.label
    assert session.lr_log10 == pytest.approx(math.log10(3e-4), abs=0.01)

    reference = training.Problem("cubic", 200, "mean")     # the same 51 steps, by hand
    model = reference.make_model(0)
    opt = training.torch.optim.SGD(model.parameters(), lr=1e-4)
    for k in range(51):
        if k == 50:
            opt.param_groups[0]["lr"] = 3e-4
        loss = training.torch.nn.MSELoss()(model(reference.inputs).squeeze(), reference.targets)
        loss.backward()
        opt.step()
        opt.zero_grad()
    assert np.allclose(run.latest[1], reference.flatten(model.parameters()), rtol=1e-6, atol=1e-9)


def test_slider_scale_sets_a_rounded_lr(session):
    session.lr_log10 = -2.5
    assert session.lr == pytest.approx(0.0032)


@pytest.mark.parametrize("optimizer", ["SGD", "Adam", "RMSprop"])
def test_huge_learning_rate_diverges_and_keeps_a_finite_curve(session, optimizer):
    run = session.start_run(session.settings(optimizer=optimizer, lr=1e9, steps=1000))
    finished(session, 10)
    assert run.status == "diverged" and run.diverged_at is not None
    assert run.status_text() == f"diverged at step {run.diverged_at}"
    assert len(run.losses) >= 1 and np.isfinite(run.loss_curve()).all()
    assert "Diverged" not in run.detail and run.detail and "lr=1e+09" in run.detail


def test_sgd_divergence_explains_the_curvature_limit(session):
    run = session.start_run(session.settings(lr=0.05, steps=2000))
    finished(session, 20)
    assert run.status == "diverged"
    assert "λmax" in run.detail and "loss grew past 1e6" in run.detail.lower()
    assert run.losses[-1] <= 1e6 * run.losses[0] * 10


def test_dragging_lr_up_mid_run_diverges_the_live_run(session):
    run = session.step_current(20)
    session.wait_until_idle(10)
    session.lr_log10 = 0.0
    session.start()
    finished(session, 20)
    assert run.status == "diverged" and run.diverged_at >= 20
    assert run.markers == [(20, "lr→1")]


@pytest.mark.parametrize("overrides, words", [
    (dict(lr=0), "never changes"), (dict(lr=-1e-3), "negative"), (dict(lr=float("nan")), "not a finite"),
    (dict(lr=float("inf")), "not a finite"), (dict(lr="abc"), "not a number"), (dict(lr=1e308), "float32"),
    (dict(momentum=1), "outside [0, 1)"), (dict(momentum=1.5), "outside"), (dict(momentum=-0.5), "outside"),
    (dict(momentum=float("nan")), "not a number"), (dict(steps=0), "between 1 and"),
    (dict(steps=10**9), "between 1 and"), (dict(steps=2**63), "between 1 and"), (dict(steps=1.5), "whole"),
    (dict(optimizer="unknown"), "unknown optimizer"), (dict(optimizer="__class__"), "unknown optimizer"),
    (dict(optimizer="SGD", nesterov=True, momentum=0.0), "nesterov"), (dict(seed=-1), "seed"),
])
def test_absurd_settings_are_refused_with_a_message(session, overrides, words):
    assert session.start_run(session.settings(**overrides)) is None
    assert words in session.message and session.runs == []


def test_absurd_values_typed_into_params_never_reach_the_run(session):
    run = session.step_current(5)
    session.wait_until_idle(10)
    for value in (0, -1.0, float("nan"), float("inf")):
        session.lr = value
        assert "learning rate" in session.message
    session.momentum = 1.0
    assert "momentum" in session.message
    with pytest.raises(ValueError):
        session.optimizer = "unknown"
    with pytest.raises(ValueError):
        session.steps = 1.5
    session.step_current(1)
    session.wait_until_idle(10)
    assert run.markers == [] and run.hparams["lr"] == 1e-4


@pytest.mark.parametrize("lr", [1e-12, 1e30])
def test_extreme_but_valid_lr_reaches_a_terminal_state(session, lr):
    run = session.start_run(session.settings(lr=lr, steps=300))
    finished(session, 30)
    assert run.status in ("finished", "diverged", "converged")


def test_pause_step_resume(session):
    run = session.start_run(session.settings(steps=100_000))
    time.sleep(0.1)
    session.pause_all()
    time.sleep(0.05)
    at = run.step
    time.sleep(0.1)
    assert run.status == "paused" and run.step == at
    session.step_current(3)
    session.wait_until_idle(10)
    assert run.step == at + 3 and run.status_text() == f"paused at step {at + 3} of 100000"
    session.start()
    time.sleep(0.1)
    assert run.step > at + 3


def test_a_run_that_ended_is_shown_ended_even_if_a_command_crossed_its_report(session):
    run = session.start_run(session.settings(steps=100_000))
    run.pause()                          # shown at once; the trainer has not seen it yet
    late = {"key": run.key, "seq": run._sent - 1, "losses": b"", "markers": [], "path": [],
            "latest": run.latest, "hparams": dict(run.hparams), "total_steps": 100_000,
            "detail": "", "diverged_at": None, "extra_steps": 0, "device": "cpu"}
    run.receive({**late, "status": "running"})
    assert run.status == "paused", "a stale report does not undo the pause"
    run.receive({**late, "status": "finished"})
    assert run.status == "finished" and not run.has_work()


def test_keep_for_comparison_then_run_starts_a_second_curve(session):
    first = session.step_current(3)
    session.keep_for_comparison()
    session.optimizer = "Adam"
    second = session.start_run()
    assert session.runs == [first, second] and first.pinned and second.label.endswith("Adam lr=0.0001")
    third = session.start_run()
    assert session.runs == [first, third] and second.status == "stopped"


class FakeServer:
    """The server's end of the link, in-process: no commands, reports collected."""

    def __init__(self):
        self.reports = []
        self._end, self._other_end = socket.socketpair()   # nothing is ever sent on it

    def fileno(self):
        return self._end.fileno()

    def poll(self, timeout):
        return False

    def send(self, batch):
        self.reports.extend(batch)


def test_a_fault_in_one_run_leaves_a_clear_state_and_the_others_running():
    trainer = Trainer(FakeServer())
    for run_id in (1, 2):
        trainer.handle("start", (1, run_id), 0, dataclasses.replace(DEMO2, steps=500), True, "cpu")
        trainer.handle("resume", (1, run_id), 1)
    good, bad = trainer.runs[(1, 1)], trainer.runs[(1, 2)]
    original = bad.model.forward

    def faulty(X):
        if bad.step == 10:
            raise RuntimeError("injected fault")
        return original(X)
    bad.model.forward = faulty
    while trainer.busy():
        trainer.train_round()
    trainer.report()
    assert bad.status == "errored" and "injected fault" in bad.detail and len(bad.losses) == 10
    assert good.status in ("finished", "converged") and good.step > 10
    final = {report["key"]: report["status"] for report in trainer.conn.reports}
    assert final == {(1, 1): good.status, (1, 2): "errored"} and trainer.runs == {}


GPU = training.torch.cuda.is_available()


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=[
    pytest.mark.cuda, pytest.mark.skipif(not GPU, reason="needs cupy and an NVIDIA GPU")])])
def test_runs_train_on_the_session_device_and_report_plain_numbers(device):
    session = TrainingSession(device=device)
    run = session.start_run(session.settings(steps=300, lr=1e-3))
    finished(session)
    assert run.device == ("cuda:0" if device == "cuda" else "cpu")   # as the training process said
    curve = run.loss_curve()
    assert run.status == "finished" and curve[-1] < curve[0]
    assert run.latest[1].dtype == np.float64 and all(isinstance(p, np.ndarray) for _, p in run.path)


@pytest.mark.skipif(GPU, reason="checks the behaviour without a GPU")
def test_cuda_without_a_gpu_is_refused_when_the_session_starts():
    with pytest.raises(ValueError, match="cuda device needs cupy and an NVIDIA GPU"):
        TrainingSession(device="cuda")


def test_mlp_trains(session):
    run = session.start_run(session.settings(model="mlp", optimizer="Adam", lr=1e-2, steps=300))
    finished(session, 60)
    curve = run.loss_curve()
    assert run.status in ("finished", "converged") and curve[-1] < 0.5 * curve[0]
    assert run.latest[1].size == len(run.problem.param_names) == 49


def test_sessions_are_isolated():
    a, b = TrainingSession(), TrainingSession()
    try:
        ra, rb = a.step_current(2), b.step_current(2)
        a.lr = 1e-3
        a.step_current(1), b.step_current(1)
        assert a.wait_until_idle(10) and b.wait_until_idle(10)
        assert ra.markers and not rb.markers and rb.hparams["lr"] == 1e-4
    finally:
        a.close(), b.close()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_close_stops_runs_and_the_training_process_goes_quiet():
    sessions = [TrainingSession() for _ in range(3)]
    runs = [s.start_run(s.settings(steps=100_000)) for s in sessions]
    deadline = time.monotonic() + 20
    while not all(run.step > 0 for run in runs) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert all(run.step > 0 for run in runs)
    baseline = threading.active_count()
    for s in sessions:
        s.close()
    assert all(run.status == "stopped" for run in runs)
    assert sessions[0].start_run() is None and "closed" in sessions[0].message
    assert TRAINER.training() == 0
    time.sleep(0.5)
    steps = [run.step for run in runs]
    cpu = cpu_seconds(TRAINER.process.pid)
    time.sleep(1.0)
    assert cpu_seconds(TRAINER.process.pid) - cpu < 0.2, "the training process should be idle"
    assert [run.step for run in runs] == steps and threading.active_count() == baseline


def test_a_killed_training_process_errors_its_runs_and_the_next_run_starts_a_new_one(session):
    run = session.start_run(session.settings(steps=100_000))
    while run.step == 0:
        time.sleep(0.02)
    TRAINER.process.kill()
    deadline = time.monotonic() + 10
    while run.status != "errored" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert run.status == "errored" and "training process stopped" in run.detail
    again = session.start_run(session.settings(steps=20))
    assert session.wait_until_idle(30) and again.status in ("finished", "converged")


def test_engine_grad_mode_is_untouched_while_runs_train(session):
    session.start_run(session.settings(steps=100_000))
    torch = training.torch
    for _ in range(300):
        a = torch.tensor([1.0], requires_grad=True)
        assert (a * 2).grad_fn is not None
