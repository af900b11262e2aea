"""Controls for a training session, every widget built from the session's own params
(`Widget.from_param`), so the widget and the setting can never disagree."""
import html
from typing import ClassVar

import panel as pn
import param
from bokeh.models import CustomJSTickFormatter

from components.live_text import LiveText

# The slider holds log10(lr) and shows lr. Each slider needs a formatter of its own: a Bokeh
# model belongs to one document, and a shared one broke the lr slider of every later session.
LOG_LR_CODE = "return Number((10 ** tick).toPrecision(2)).toExponential();"
INFO_BOX = {"color": "var(--info-text-color)", "background-color": "var(--info-bg-subtle)",
            "border": "1px solid var(--info-border-subtle)", "border-radius": "0.25rem",
            "padding": "0.75rem 1.25rem", "font-size": "0.95em"}   # Panel's info Alert


class SteeringSlider(pn.widgets.FloatSlider):
    """A slider that steers a live run. Panel holds each browser change for 50 ms before
    handling it; these skip that wait (changes still coalesce until handled)."""

    _priority_changes: ClassVar[list[str]] = ["value", "value_throttled"]


class OptimizerControls(pn.viewable.Viewer):
    """Needs a Parameterized with: optimizer, lr_log10, momentum, nesterov, steps, seed,
    model, n_points, reduction, message, and Events run, pause, step, reset,
    add_to_comparison, preset_learning_rate, preset_momentum, preset_optimizer."""

    settings = param.Parameter(doc="The session whose params the widgets edit")

    def __init__(self, **params):
        super().__init__(**params)
        p = self.settings.param
        self.lr_slider = SteeringSlider.from_param(
            p.lr_log10, name="learning rate", format=CustomJSTickFormatter(code=LOG_LR_CODE),
            sizing_mode="stretch_width")
        self.momentum_slider = SteeringSlider.from_param(
            p.momentum, start=0.0, end=0.99, step=0.01, sizing_mode="stretch_width")
        self.optimizer_select = pn.widgets.Select.from_param(p.optimizer, sizing_mode="stretch_width")
        self.nesterov_box = pn.widgets.Checkbox.from_param(p.nesterov)
        self.steps_input = pn.widgets.IntInput.from_param(p.steps, start=1, end=100_000, step=1000,
                                                          sizing_mode="stretch_width")
        self.seed_input = pn.widgets.IntInput.from_param(p.seed, start=0, sizing_mode="stretch_width")
        self.model_select = pn.widgets.Select.from_param(p.model, sizing_mode="stretch_width")
        self.points_toggle = pn.widgets.RadioButtonGroup.from_param(p.n_points)
        self.reduction_toggle = pn.widgets.RadioButtonGroup.from_param(p.reduction)
        self.buttons = {name: self._event_button(name, kind)
                        for name, kind in [("run", "primary"), ("pause", "default"),
                                           ("step", "default"), ("reset", "warning")]}
        self.keep_button = self._event_button("add_to_comparison", "success")
        self.preset_buttons = [self._event_button(name, "default") for name in
                               ("preset_learning_rate", "preset_momentum", "preset_optimizer")]
        # Every slider step sets the message: an Alert pane would re-render it as Markdown
        # and re-send all its properties, a few ms of the server's loop each time.
        self.message = LiveText(html.escape(self.settings.message or "Ready."),
                                sizing_mode="stretch_width", margin=(5, 10), styles=INFO_BOX)
        self.settings.param.watch(self._show_message, "message")

    def _show_message(self, event):
        self.message.object = html.escape(event.new or "Ready.")

    def _event_button(self, name, color):
        """A Button labelled from a param.Event whose clicks trigger that event; unlike
        Button.from_param it also fires when `clicks` is bumped programmatically."""
        button = pn.widgets.Button(label=self.settings.param[name].label, color=color,
                                   sizing_mode="stretch_width")
        button.on_click(lambda _event: self.settings.param.trigger(name))
        return button

    def __panel__(self):
        b = self.buttons
        return pn.Column(
            pn.pane.Markdown("#### The lecture's figures", margin=(0, 10)),
            *self.preset_buttons,
            pn.pane.Markdown("#### Optimizer", margin=(10, 10, 0, 10)),
            self.optimizer_select, self.lr_slider, self.momentum_slider, self.nesterov_box,
            pn.Row(self.steps_input, self.seed_input),
            pn.Row(b["run"], b["pause"]), pn.Row(b["step"], b["reset"]), self.keep_button,
            pn.pane.Markdown("#### Problem (next run)", margin=(10, 10, 0, 10)),
            self.model_select, pn.Row(self.points_toggle, self.reduction_toggle),
            self.message,
            width=320,
        )
