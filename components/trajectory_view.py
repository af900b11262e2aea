"""The path of two chosen parameters over the loss surface of those two (the others held
at their current values), so momentum's overshoot can be seen."""
import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.palettes import Viridis256
from bokeh.plotting import figure


class TrajectoryView(pn.viewable.Viewer):
    """`x_param`/`y_param` choose the two parameters (by index into `names`). The owner
    computes the surface and calls `set_surface` and `set_path`."""

    names = param.List(default=[], doc="Parameter names, in flat order")
    x_param = param.Selector(objects=[], label="horizontal parameter")
    y_param = param.Selector(objects=[], label="vertical parameter")
    height = param.Integer(360)

    def __init__(self, **params):
        super().__init__(**params)
        self.surface = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []},
                                        name="trajectory_surface")
        self.path = ColumnDataSource({"x": [], "y": []}, name="trajectory_path")
        self.points = ColumnDataSource({"x": [], "y": [], "what": [], "color": []},
                                       name="trajectory_points")
        fig = figure(height=self.height, sizing_mode="stretch_width", name="trajectory_plot",
                     title="Parameter path over the loss surface (log10 loss)",
                     tools="pan,wheel_zoom,reset,save", match_aspect=False)
        fig.toolbar.logo = None
        self.colors = LinearColorMapper(palette=Viridis256, low=-3, high=3)
        fig.image("image", x="x", y="y", dw="dw", dh="dh", source=self.surface,
                  color_mapper=self.colors, alpha=0.85)
        fig.line("x", "y", source=self.path, color="white", line_width=2.5)
        fig.scatter("x", "y", source=self.path, color="white", size=3)
        fig.scatter("x", "y", source=self.points, color="color", size=13, line_color="black",
                    legend_field="what")
        fig.legend.location = "top_left"
        self.figure = fig
        self._set_choices()

    @param.depends("names", watch=True)
    def _set_choices(self):
        options = {name: i for i, name in enumerate(self.names)}
        self.param.x_param.objects = dict(options)
        self.param.y_param.objects = dict(options)
        if self.names:
            default_x, default_y = (1, 3) if len(self.names) == 4 else (0, 1)
            with param.parameterized.discard_events(self):
                self.x_param, self.y_param = default_x, default_y
            self.param.trigger("x_param", "y_param")

    def axis_names(self):
        return self.names[self.x_param], self.names[self.y_param]

    def set_surface(self, xs, ys, losses):
        image = np.log10(np.maximum(np.nan_to_num(losses, nan=1e300, posinf=1e300), 1e-300))
        finite = image[np.isfinite(image)]
        if finite.size:
            self.colors.low, self.colors.high = float(finite.min()), float(np.percentile(finite, 95))
        self.surface.data = {"image": [image], "x": [float(xs[0])], "y": [float(ys[0])],
                             "dw": [float(xs[-1] - xs[0])], "dh": [float(ys[-1] - ys[0])]}
        self.figure.x_range.start, self.figure.x_range.end = float(xs[0]), float(xs[-1])
        self.figure.y_range.start, self.figure.y_range.end = float(ys[0]), float(ys[-1])
        x_name, y_name = self.axis_names()
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = x_name, y_name

    def set_path(self, px, py, current, least_squares=None, append_only=False):
        """The recorded path (streamed when `append_only` and it only grew), then the
        start, current and least-squares points."""
        have = len(self.path.data["x"])
        if append_only and 0 < have <= len(px):
            if len(px) > have:
                self.path.stream({"x": list(map(float, px[have:])), "y": list(map(float, py[have:]))})
        else:
            self.path.data = {"x": list(map(float, px)), "y": list(map(float, py))}
        points = {"x": [], "y": [], "what": [], "color": []}
        marks = [("start", "#ff7f0e", px[0], py[0])] if len(px) else []
        marks.append(("current", "#d62728", current[0], current[1]))
        if least_squares is not None:
            marks.append(("least squares", "#ffffff", least_squares[0], least_squares[1]))
        for what, color, x, y in marks:
            points["x"].append(float(x)), points["y"].append(float(y))
            points["what"].append(what), points["color"].append(color)
        self.points.data = points

    def __panel__(self):
        return pn.Column(
            pn.Row(pn.widgets.Select.from_param(self.param.x_param, width=180),
                   pn.widgets.Select.from_param(self.param.y_param, width=180)),
            pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"), sizing_mode="stretch_width")
