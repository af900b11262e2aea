"""The training lab page: controls, live loss curves, fit and trajectory views over one
TrainingSession. A periodic callback (<= 30 Hz) drains the runs; training itself happens
in the training process (`app.trainer`), never on the server loop."""
import html
import time

import numpy as np
import panel as pn
import param
from panel.io.callbacks import PeriodicCallback

from app.training import MAX_RUNS, TrainingSession
from components.fit_view import FitView
from components.live_text import LiveText
from components.loss_curves import LossCurves
from components.optimizer_controls import OptimizerControls
from components.trajectory_view import TrajectoryView

# Each update makes the browser repaint the whole plot (10-20 ms of its main thread on a
# small machine), so the curves move 10 times a second: smooth enough to watch, and the
# browser stays free to show a slider change within a frame or two.
TICK_MS = 100            # loss curves: at most 10 updates a second...
LABS_PER_TICK_STEP = 15  # ...slowing by one step per 15 open labs, so 20 tabs still fit a core
_open_labs = set()
VIEWS_PER_S = 3          # status, fit and trajectory: 3 a second...
VIEWS_PER_S_ALL_LABS = 12  # ...and at most 12 a second over all open labs
SURFACE_EVERY_S = 1.0  # the loss surface is the costly part
GRID = 48


class TrainingLab(pn.viewable.Viewer):
    """One browser tab's training lab."""

    shown_run = param.Selector(objects={"latest run": 0}, default=0, label="fit and path of")

    def __init__(self, device="cpu", **params):
        super().__init__(**params)
        self.session = TrainingSession(device=device)
        self.controls = OptimizerControls(settings=self.session)
        self.curves = LossCurves(capacity=MAX_RUNS + 1)   # the kept runs and the current one
        self.fit = FitView()
        self.trajectory = TrajectoryView()
        self.status = LiveText("<i>No runs yet: press Run or pick one of the lecture's figures.</i>",
                               sizing_mode="stretch_width", name="run_status")
        self.explanation = pn.pane.Alert("", alert_type="danger", visible=False,
                                         sizing_mode="stretch_width", name="run_explanation")
        self._streamed, self._markers_seen, self._last_step = {}, {}, {}
        self._views_due, self._callback, self._doc = 0.0, None, None
        self._surface_key, self._surface_time, self._problem_shown = None, 0.0, None
        self._path_key, self._statuses, self._beats = None, [], 0
        self.views = pn.Tabs(("Fit", self.fit), ("Trajectory", self.trajectory), dynamic=False,
                             sizing_mode="stretch_width")
        self.trajectory.param.watch(lambda *_: self._invalidate_surface(), ["x_param", "y_param"])
        self.views.param.watch(lambda *_: self._invalidate_surface(), ["active"])
        self.param.watch(lambda *_: self._invalidate_surface(), ["shown_run"])

    # ---- lifecycle -------------------------------------------------------------------
    def start_streaming(self):
        if self._callback is None:
            _open_labs.add(self)
            self._doc = pn.state.curdoc
            # In the background: no busy indicator and no log line 30 times a second.
            self._callback = PeriodicCallback(callback=self._on_timer, period=TICK_MS,
                                              background=True, log=False)
            self._callback.start()
            self.session.on_marker = self._show_change_now

    def _show_change_now(self):
        """A slider change took effect: draw its marker and first point now, not at the
        next beat. Runs on the link's thread; Bokeh's add_next_tick_callback is the
        thread-safe way onto the server loop."""
        doc = self._doc
        if doc is not None and self._callback is not None:
            doc.add_next_tick_callback(self._stream_now)

    def _stream_now(self):
        """Just the new points and markers, so they go out alone; labels, status and
        views follow at the next beat."""
        with pn.io.hold(self._doc):
            for run in list(self.session.runs):
                if run.id in self._streamed:
                    self._stream(run)

    def close(self):
        self.session.on_marker = None
        _open_labs.discard(self)
        if self._callback is not None:
            self._callback.stop()
            self._callback = None
        self.session.close()

    # ---- the periodic callback -------------------------------------------------------
    def _on_timer(self):
        # Skip beats rather than change the period: changing it from inside the
        # callback left most of 20 benchmark sessions without ticks.
        self._beats += 1
        if self._beats % (1 + len(_open_labs) // LABS_PER_TICK_STEP) == 0:
            self.tick()

    def tick(self):
        runs = list(self.session.runs)
        with pn.io.hold(self._doc):
            self._sync_series(runs)
            for run in runs:
                self._stream(run)
            statuses = [(run.id, run.status, run.label) for run in runs]
            now = time.monotonic()
            if now >= self._views_due or statuses != self._statuses:
                self._views_due = now + max(1 / VIEWS_PER_S, len(_open_labs) / VIEWS_PER_S_ALL_LABS)
                self._statuses = statuses
                self._show_status(runs)
                self._refresh_views(runs)

    def _sync_series(self, runs):
        ids = {run.id for run in runs}
        for key in self.curves.keys():
            if key not in ids:
                self.curves.remove_series(key)
                self._streamed.pop(key, None)
                self._markers_seen.pop(key, None)
                self._last_step.pop(key, None)
        for run in runs:
            if run.id not in self._streamed:
                self.curves.add_series(run.id, run.label)
                self._streamed[run.id], self._markers_seen[run.id] = 0, 0
            else:
                self.curves.set_label(run.id, run.label)
        options = {"latest run": 0, **{run.label: run.id for run in runs}}
        if list(options) != list(self.param.shown_run.names or {}):
            self.param.shown_run.objects = options
            if self.shown_run not in options.values():
                self.shown_run = 0

    def _stream(self, run):
        """Decimate, densely at first (the early steps move most), at most every
        `record_every` steps later; plus the newest point once a run stops."""
        start, n = self._streamed[run.id], len(run.losses)
        steps, k = [], start
        while k < n:
            stride = _plot_stride(k, run.record_every)
            if k % stride == 0:
                steps.append(k)
            k += stride - k % stride
        last = steps[-1] if steps else self._last_step.get(run.id, -1)
        if run.status != "running" and n and last != n - 1:
            steps.append(n - 1)
        if steps:
            self.curves.stream(run.id, steps, [run.losses[k] for k in steps])
            self._last_step[run.id] = steps[-1]
        self._streamed[run.id] = n
        seen = self._markers_seen[run.id]
        for step, text in run.markers[seen:]:
            loss = run.losses[min(step, n - 1)]
            self.curves.add_marker(run.id, step, loss, f"#{run.id} {text}")
        self._markers_seen[run.id] = len(run.markers)

    def _show_status(self, runs):
        rows, problems = [], []
        for run in runs:
            color = self.curves.color(run.id)
            rows.append(f"<tr><td style='color:{color};font-size:1.3em'>&#9632;</td>"
                        f"<td>{html.escape(run.label)}</td>"
                        f"<td class='run-status run-{run.status}'><b>{run.status_text()}</b></td></tr>")
            if run.status in ("diverged", "errored") and run.detail:
                problems.append(f"Run #{run.id} {run.status_text()}: {run.detail}")
        text = ("<table style='font-size:1.05em'>" + "".join(rows) + "</table>") if rows else \
            "<i>No runs yet: press Run or pick one of the lecture's figures.</i>"
        self.status.object = text
        explanation = "\n\n".join(problems)
        if explanation != self.explanation.object:
            self.explanation.object = explanation
            self.explanation.visible = bool(problems)

    # ---- fit and trajectory ----------------------------------------------------------
    def _shown(self, runs):
        chosen = [run for run in runs if run.id == self.shown_run]
        return chosen[0] if chosen else (self.session.current or (runs[-1] if runs else None))

    def _invalidate_surface(self):
        self._surface_key = None

    def _refresh_views(self, runs):
        run = self._shown(runs)
        if run is None:
            return
        problem = run.problem
        if self._problem_shown is not problem:
            self._problem_shown = problem
            self.fit.set_data(problem.x, problem.y, problem.least_squares_prediction)
            self.trajectory.names = list(problem.param_names)
            self._invalidate_surface()
        step, current = run.latest
        self.fit.set_prediction(problem.x, problem.predict(current)[0],
                                f"<b>{html.escape(run.label)}</b>, step {step}")
        if problem.kind == "cubic":
            self.fit.set_coefficients(problem.param_names, current, problem.least_squares_beta)
        else:
            self.fit.table.object = f"<i>{current.size} weights; no closed-form solution.</i>"
        if self.views.active == 1:      # the trajectory costs a surface: only when shown
            self._refresh_trajectory(run, problem, current)

    def _refresh_trajectory(self, run, problem, current):
        i, j = self.trajectory.x_param, self.trajectory.y_param
        if i is None or j is None:
            return
        path = np.array([p for _, p in run.path] + [current])
        ls = (problem.least_squares_beta[[i, j]] if problem.kind == "cubic" else None)
        same_path = self._path_key == (run.id, i, j)
        self._path_key = (run.id, i, j)
        self.trajectory.set_path(path[:-1, i], path[:-1, j], (current[i], current[j]), ls,
                                 append_only=same_path)
        key = (run.id, i, j, run.status)
        now = time.monotonic()
        if key == self._surface_key and (run.status != "running" or now - self._surface_time < SURFACE_EVERY_S):
            return
        self._surface_key, self._surface_time = key, now
        grid = GRID if problem.kind == "cubic" else GRID // 2
        xs, ys = (np.linspace(*_span(path[:, k], None if ls is None else ls[n]), grid)
                  for n, k in enumerate((i, j)))
        self.trajectory.set_surface(xs, ys, problem.loss_grid(current, i, j, xs, ys))

    def __panel__(self):
        return pn.Row(
            self.controls,
            pn.Column(self.curves, self.explanation, self.status,
                      pn.widgets.Select.from_param(self.param.shown_run, width=320),
                      self.views, sizing_mode="stretch_width"),
            sizing_mode="stretch_width")


def _plot_stride(step, cap):
    """1 below step 100, 10 below 1000, then `cap`: about 100 points per decade early on."""
    return max(1, min(cap, 10 ** (len(str(step)) - 2)))


def _span(values, extra):
    """A padded range covering the path (and the least-squares point), never empty."""
    finite = values[np.isfinite(values)]
    points = np.concatenate([finite, [] if extra is None else [extra]])
    low, high = (points.min(), points.max()) if points.size else (-1.0, 1.0)
    pad = max(0.25 * (high - low), 0.05 * max(abs(low), abs(high)), 1e-3)
    return low - pad, high + pad


def training_page(device="cpu"):
    """A fresh lab for each browser session; closing the tab stops its runs."""
    lab = TrainingLab(device=device)
    if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
        lab.start_streaming()
        pn.state.on_session_destroyed(lambda session_context: lab.close())
    return lab


if __name__.startswith("bokeh_app"):   # `panel serve app/training_page.py` on its own
    training_page().servable(title="tapescope: training lab")
