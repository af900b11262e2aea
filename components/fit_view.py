"""The fit: data points, the model's current prediction, the least-squares curve, and the
current coefficients beside the least-squares ones (the lecture's "comparing results")."""
import html

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from components.live_text import LiveText


class FitView(pn.viewable.Viewer):
    """Call `set_data` once per problem, then `set_prediction` and `set_coefficients`
    as the run trains."""

    height = param.Integer(300)

    def __init__(self, **params):
        super().__init__(**params)
        self.data = ColumnDataSource({"x": [], "y": [], "least_squares": []}, name="fit_data")
        self.prediction = ColumnDataSource({"x": [], "y": []}, name="fit_prediction")
        fig = figure(height=self.height, sizing_mode="stretch_width", title="Fit: y = sin(x)",
                     x_axis_label="x", y_axis_label="y", tools="pan,wheel_zoom,reset,save",
                     name="fit_plot")
        fig.toolbar.logo = None
        fig.scatter("x", "y", source=self.data, size=5, color="#1f77b4", legend_label="sin(x) data")
        fig.line("x", "least_squares", source=self.data, color="#d62728", line_width=2,
                 line_dash="dashed", legend_label="least squares (lstsq)")
        fig.line("x", "y", source=self.prediction, color="#2ca02c", line_width=3,
                 legend_label="current model")
        fig.legend.location = "top_left"
        fig.y_range.start, fig.y_range.end = -1.6, 1.6
        self.figure = fig
        self.table = LiveText(sizing_mode="stretch_width", name="coefficients")
        self.caption = LiveText(margin=(0, 10))

    def set_data(self, x, y, least_squares):
        self.data.data = {"x": list(map(float, x)), "y": list(map(float, y)),
                          "least_squares": list(map(float, least_squares))}

    def set_prediction(self, x, y, caption=""):
        """`caption` is HTML."""
        y = np.clip(np.nan_to_num(np.asarray(y, dtype=float), nan=0.0), -1e6, 1e6)
        self.prediction.data = {"x": list(map(float, x)), "y": list(map(float, y))}
        self.caption.object = caption

    def set_coefficients(self, names, current, least_squares):
        """A small table; `least_squares` may be None (the MLP has no closed form)."""
        rows = []
        for i, name in enumerate(names):
            ref = "" if least_squares is None else f"{least_squares[i]:.4g}"
            rows.append(f"<tr><td>{html.escape(name)}</td><td>{current[i]:.4g}</td><td>{ref}</td></tr>")
        self.table.object = (
            "<style>td, th {padding: 1px 12px 1px 0; text-align: right; white-space: nowrap}</style>"
            "<table style='font-size:1.05em;font-family:monospace;border-collapse:collapse'>"
            "<tr><th style='text-align:left;padding-right:1em'>coefficient</th>"
            "<th style='padding-right:1em'>current</th><th>least squares</th></tr>"
            + "".join(rows) + "</table>")

    def __panel__(self):
        return pn.Row(pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"),
                      pn.Column(self.caption, self.table, width=360), sizing_mode="stretch_width")
