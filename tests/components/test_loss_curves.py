"""LossCurves keeps every plotted value finite and positive, whatever it is fed."""
import math

import pytest

from components.loss_curves import SMALLEST_SHOWN, LossCurves


def test_non_finite_and_negative_losses_never_reach_the_plot():
    curves = LossCurves()
    curves.add_series(1, "run one")
    curves.stream(1, [0, 1, 2, 3, 4, 5], [1.0, math.nan, math.inf, -1.0, 0.0, 1e300])
    data = curves.source(1).data
    assert data["step"] == [0, 4, 5] and data["loss"] == [1.0, SMALLEST_SHOWN, 1e300]


def test_series_have_distinct_colours_labels_and_hover():
    curves = LossCurves()
    for key in (1, 2, 3):
        curves.add_series(key, f"run {key}")
    assert len({curves.color(k) for k in (1, 2, 3)}) == 3
    curves.set_label(2, "run 2 lr=1")
    assert curves.labels() == ["run 1", "run 2 lr=1", "run 3"]
    hovered = {r.name for r in curves.line_hover.renderers}
    assert {"run 1", "run 2 lr=1", "run 3"} <= hovered and curves.figure.y_scale.__class__.__name__ == "LogScale"


def test_rollover_bounds_each_curve():
    curves = LossCurves(rollover=50)
    curves.add_series("a", "a")
    for start in range(0, 200, 10):
        curves.stream("a", list(range(start, start + 10)), [1.0] * 10)
    assert len(curves.source("a").data["step"]) == 50


def test_markers_take_the_series_colour_and_skip_non_finite():
    curves = LossCurves()
    curves.add_series(7, "x")
    curves.add_marker(7, 10, 0.5, "lr→0.1")
    curves.add_marker(7, 11, math.nan, "ignored")
    assert curves.markers.data["text"] == ["lr→0.1"] and curves.markers.data["color"] == [curves.color(7)]


def test_remove_and_clear():
    curves = LossCurves()
    curves.add_series(1, "one"), curves.add_series(2, "two")
    curves.remove_series(1)
    assert curves.keys() == [2] and shown_legend(curves) == ["two"]
    curves.clear()
    assert curves.keys() == [] and shown_legend(curves) == [] and not curves.figure.select({"name": "one"})


def shown_legend(curves):
    return [item.label.value for item in curves.legend.items if item.visible]


def test_a_freed_line_is_reused_without_adding_models():
    curves = LossCurves(capacity=2)
    count = len(list(curves.figure.references()))
    curves.add_series(1, "one"), curves.add_series(2, "two")
    curves.remove_series(1)
    curves.add_series(3, "three")
    assert len(list(curves.figure.references())) == count
    assert shown_legend(curves) == ["three", "two"] and curves.source(3).data["step"] == []
    with pytest.raises(ValueError, match="at most 2"):
        curves.add_series(4, "four")


def test_the_legend_reaches_no_streamed_source():
    # Bokeh redraws a legend whenever a model its items reach changes: with the streamed
    # sources among them, every point would redraw it.
    curves = LossCurves()
    curves.add_series(1, "one")
    reached = {model for item in curves.legend.items for model in item.references()}
    swatch = curves.legend.items[0].renderers[0]
    assert curves.source(1) not in reached and swatch.glyph.line_color == curves.color(1)
