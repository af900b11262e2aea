"""Live loss curves: several runs overlaid on a log-y Bokeh plot, streamed in small
decimated batches, with markers where a hyper-parameter changed mid-run."""
import math
from typing import NamedTuple

import panel as pn
import param
from bokeh.core.properties import value
from bokeh.models import ColumnDataSource, CustomJS, HoverTool, LabelSet, Legend, LegendItem
from bokeh.palettes import Category10_10
from bokeh.plotting import figure

SMALLEST_SHOWN = 1e-12   # a log axis cannot show 0; tiny losses are clipped to this


class Slot(NamedTuple):
    source: ColumnDataSource
    line: object            # the curve's GlyphRenderer
    swatch: object          # its stand-in in the legend
    item: LegendItem


class LossCurves(pn.viewable.Viewer):
    """Overlaid loss curves keyed by run id. Feed it with `add_series`, `stream`,
    `add_marker`, `set_label` and `remove_series`, from a periodic callback.

    Every line it can show is made up front, hidden until a series takes it: adding a model
    to a live Bokeh document makes Bokeh walk the whole document again (a quarter of a
    second per curve in a full page), while showing a hidden line is one property change."""

    title = param.String("Loss (log scale) by step")
    rollover = param.Integer(4000, doc="Points kept per curve; callers decimate below this")
    height = param.Integer(380)
    capacity = param.Integer(16, bounds=(1, None), constant=True, doc="Series shown at once")

    def __init__(self, **params):
        super().__init__(**params)
        self.figure = figure(height=self.height, sizing_mode="stretch_width", y_axis_type="log",
                             x_axis_label="step", y_axis_label="loss", title=self.title,
                             tools="pan,wheel_zoom,box_zoom,reset,save", name="loss_plot")
        self.figure.toolbar.logo = None
        # The browser fits the ranges to the data on every update; sending each fit back
        # to the server would cost a round trip (and hold up the next update) each time.
        self.figure.x_range.syncable = self.figure.y_range.syncable = False
        self.legend = Legend(items=[], location="top_right", click_policy="hide",
                             label_text_font_size="11pt", name="loss_legend")
        self.figure.add_layout(self.legend, "right")
        self.markers = ColumnDataSource({"step": [], "loss": [], "text": [], "color": []},
                                        name="loss_markers")
        marks = self.figure.scatter("step", "loss", source=self.markers, marker="inverted_triangle",
                                    size=12, color="color", line_color="black")
        self.figure.add_layout(LabelSet(x="step", y="loss", text="text", source=self.markers,
                                        y_offset=8, text_font_size="10pt", text_align="center"))
        self.figure.add_tools(HoverTool(renderers=[marks], tooltips=[("change", "@text"),
                                                                     ("step", "@step")]))
        # One point that is never drawn: Bokeh draws no legend swatch for an empty line.
        self._swatch_data = ColumnDataSource({"step": [math.nan], "loss": [math.nan]},
                                             name="loss_swatches")
        self._slots = [self._make_slot() for _ in range(self.capacity)]
        self._free = set(range(self.capacity))    # the lowest free slot is taken first
        lines = [slot.line for slot in self._slots]
        self.line_hover = HoverTool(renderers=lines,
                                    tooltips=[("run", "$name"), ("step", "@step"),
                                              ("loss", "@loss{0.000e}")])
        self.figure.add_tools(self.line_hover)
        self.legend.items = [slot.item for slot in self._slots]
        # The legend lists stand-in lines that never change: Bokeh redraws a legend
        # whenever anything its items reach changes, which for the real lines is every
        # streamed point. A click shows or hides the real line too.
        self.legend.js_on_event("legend_item_click", CustomJS(
            args={"items": self.legend.items, "lines": lines},
            code="const line = lines[items.indexOf(cb_obj.item)]; line.visible = !line.visible;"))
        self._series = {}      # key -> slot index
        self._labels = {}
        self._colors_used = 0
        self._pane = pn.pane.Bokeh(self.figure, sizing_mode="stretch_width")

    def _make_slot(self):
        source = ColumnDataSource({"step": [], "loss": []}, name="loss_slot")
        line = self.figure.line("step", "loss", source=source, line_width=2.5, visible=False)
        swatch = self.figure.line("step", "loss", source=self._swatch_data, line_width=2.5,
                                  visible=False)
        item = LegendItem(label=value(""), renderers=[swatch], visible=False)
        return Slot(source, line, swatch, item)

    def add_series(self, key, label):
        if key in self._series:
            return
        if not self._free:
            raise ValueError(f"at most {self.capacity} curves at once")
        index = min(self._free)
        self._free.discard(index)
        slot = self._slots[index]
        slot.source.name = f"loss_source_{key}"
        slot.line.glyph.line_color = slot.swatch.glyph.line_color = \
            Category10_10[self._colors_used % 10]
        self._colors_used += 1
        slot.line.visible = slot.swatch.visible = slot.item.visible = True
        self._series[key] = index
        self._labels[key] = None
        self.set_label(key, label)

    def color(self, key):
        return self._slots[self._series[key]].line.glyph.line_color

    def keys(self):
        return list(self._series)

    def labels(self):
        return [self._labels[key] for key in self._series]

    def set_label(self, key, label):
        if self._labels.get(key) != label:
            slot = self._slots[self._series[key]]
            slot.item.label = value(label)
            slot.line.name = label
            self._labels[key] = label

    def source(self, key):
        return self._slots[self._series[key]].source

    def stream(self, key, steps, losses):
        pairs = [(s, max(v, SMALLEST_SHOWN)) for s, v in zip(steps, losses)
                 if math.isfinite(v) and v >= 0]
        if pairs:
            source = self.source(key)
            source.stream({"step": [s for s, _ in pairs], "loss": [v for _, v in pairs]},
                          rollover=self.rollover)

    def add_marker(self, key, step, loss, text):
        if math.isfinite(loss):
            self.markers.stream({"step": [step], "loss": [max(loss, SMALLEST_SHOWN)],
                                 "text": [text], "color": [self.color(key)]}, rollover=200)

    def remove_series(self, key):
        index = self._series.pop(key)
        slot = self._slots[index]
        self._labels.pop(key, None)
        slot.line.visible = slot.swatch.visible = slot.item.visible = False
        slot.line.name, slot.item.label = None, value("")
        slot.source.data = {"step": [], "loss": []}
        slot.source.name = "loss_slot"
        self._free.add(index)

    def clear(self):
        for key in list(self._series):
            self.remove_series(key)
        self.markers.data = {"step": [], "loss": [], "text": [], "color": []}
        self._colors_used = 0

    def __panel__(self):
        return self._pane
