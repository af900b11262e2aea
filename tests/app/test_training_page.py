"""The training page without a browser: ticks drain runs into the Bokeh models."""
import time

import pytest

import app.training as training
from app.training_page import TrainingLab, training_page


@pytest.fixture
def lab(monkeypatch):
    monkeypatch.setitem(training.PRESET_BASE, "steps", 2000)
    lab = training_page()
    yield lab
    lab.close()


def tick_until(lab, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        lab.tick()
        time.sleep(0.02)
    lab.tick()      # one more, so what made the predicate true is drained too
    return predicate()


def points(lab, key):
    return len(lab.curves.source(key).data["step"])


def test_page_is_a_fresh_viewable_with_no_callback_outside_a_server():
    a, b = training_page(), training_page()
    assert isinstance(a, TrainingLab) and a.session is not b.session and a._callback is None
    a.__panel__(), b.__panel__()
    a.close(), b.close()


def test_preset_curves_grow_decimated_and_labelled(lab):
    lab.session.start_preset("optimizer")
    assert tick_until(lab, lambda: not lab.session.has_work(), 60)
    assert lab.curves.labels() == ["#1 SGD lr=0.0001", "#2 Adam lr=0.0001", "#3 Adagrad lr=0.0001"]
    for run in lab.session.runs:
        n = points(lab, run.id)
        assert 100 <= n <= 1.2 * training.POINTS_PER_CURVE
        steps = lab.curves.source(run.id).data["step"]
        assert steps == sorted(steps) and steps[-1] == len(run.losses) - 1
    assert "finished 2000 steps" in lab.status.object


def test_lr_change_is_marked_on_the_live_curve(lab):
    run = lab.session.step_current(30)
    assert tick_until(lab, lambda: run.step == 30)
    lab.session.lr_log10 = -3.0
    lab.session.step_current(1)
    assert tick_until(lab, lambda: len(lab.curves.markers.data["step"]) == 1)
    assert lab.curves.markers.data["text"] == ["#1 lr→0.001"]
    assert lab.curves.labels() == ["#1 SGD lr=0.001"] and lab.curves.legend.items[0].label.value == "#1 SGD lr=0.001"


def test_divergence_is_shown_and_the_curve_stays_finite(lab):
    lab.session.lr = 0.5
    run = lab.session.start_run()
    assert tick_until(lab, lambda: run.status == "diverged")
    lab.tick()
    data = lab.curves.source(run.id).data["loss"]
    assert data and all(0 < v < float("inf") for v in data)
    assert lab.explanation.visible and f"diverged at step {run.diverged_at}" in lab.explanation.object
    assert "diverged at step" in lab.status.object


def test_fit_and_trajectory_views_follow_the_run(lab):
    lab.views.active = 1
    run = lab.session.step_current(200)
    assert tick_until(lab, lambda: run.step == 200)
    assert tick_until(lab, lambda: lab.fit.caption.object.endswith("step 200"))
    assert len(lab.fit.prediction.data["y"]) == 200
    assert "β3 (x³)" in lab.fit.table.object
    assert lab.trajectory.axis_names() == ("β1 (x)", "β3 (x³)")
    assert len(lab.trajectory.path.data["x"]) >= 2
    image = lab.trajectory.surface.data["image"][0]
    assert image.shape == (48, 48)


def test_reset_clears_the_plot(lab):
    lab.session.step_current(5)
    assert tick_until(lab, lambda: lab.curves.keys() == [1])
    lab.session.reset_runs()
    lab.tick()
    assert lab.curves.keys() == [] and not any(item.visible for item in lab.curves.legend.items)
