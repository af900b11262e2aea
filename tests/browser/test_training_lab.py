"""The training lab in real Chromium: presets animate, the lr slider steers the live
run, and a diverged run says so on screen."""
import pytest

from app.main import server_kwargs
from app.training_page import training_page

pytestmark = pytest.mark.browser

CURVES = """() => {
  if (!(window.Bokeh && Bokeh.documents.length)) return null;
  const models = [...Bokeh.documents[0].all_models];
  const curves = models.filter(m => m.name && m.name.startsWith('loss_source_'));
  const markers = models.find(m => m.name === 'loss_markers');
  const legend = models.find(m => m.name === 'loss_legend');
  return {points: curves.map(c => c.data.step.length),
          markers: markers ? [...markers.data.text] : [],
          legend: legend.items.filter(item => item.visible).map(item => item.label.value)};
}"""


SHOWN = """[...Bokeh.documents[0].all_models]
  .find(m => m.data_source && m.data_source.name === 'loss_source_1').visible"""


def curves(page):
    return page.evaluate(CURVES)


@pytest.fixture
def lab_url(serve):
    # The app's own session limits: a session discarded before a slow browser connects is
    # remade on connect without its page, and then loads Panel's stylesheets from the CDN.
    with serve(training_page, **server_kwargs()) as base:
        yield base + "/"


def open_lab(page, url):
    page.goto(url)
    page.wait_for_function(f"() => ({CURVES})() !== null")
    page.get_by_role("button", name="Run").wait_for()


def test_momentum_preset_curves_grow_on_screen(page, lab_url, screenshot):
    open_lab(page, lab_url)
    page.get_by_role("button", name="Figure: momentum").click()
    page.wait_for_function(f"() => {{ const c = ({CURVES})(); return c.points.length === 7 && Math.min(...c.points) > 5; }}")
    first = curves(page)["points"]
    page.wait_for_function(f"() => Math.min(...({CURVES})().points) > {max(first)}", timeout=30_000)
    page.get_by_text("running: step").first.wait_for()
    assert len(curves(page)["legend"]) == 7
    screenshot(page, "training_momentum_preset")
    page.get_by_text("Trajectory", exact=True).click()
    page.wait_for_function("""() => [...Bokeh.documents[0].all_models].some(
        m => m.name === 'trajectory_path' && m.data.x.length > 3)""")
    page.wait_for_timeout(500)
    screenshot(page, "training_momentum_trajectory")
    assert not page.console_errors


def test_lr_slider_marks_and_steers_the_live_curve(page, lab_url, screenshot):
    open_lab(page, lab_url)
    steps = page.get_by_label("Steps")
    steps.fill("100000")
    steps.press("Enter")
    page.get_by_role("button", name="Run").click()
    page.wait_for_function(f"() => {{ const c = ({CURVES})(); return c.points.length === 1 && c.points[0] > 3; }}")
    handle = page.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function(f"() => ({CURVES})().markers.some(t => t.includes('lr→0.00013'))")
    before = curves(page)["points"][0]
    page.wait_for_function(f"() => ({CURVES})().points[0] > {before}")
    page.get_by_text("SGD lr=0.00013").first.wait_for()
    assert curves(page)["legend"] == ["#1 SGD lr=0.00013"]
    screenshot(page, "training_lr_marker")
    page.locator(".bk-Legend").get_by_text("#1 SGD lr=0.00013").click()    # hides the curve
    page.wait_for_function(f"() => !{SHOWN}")
    page.locator(".bk-Legend").get_by_text("#1 SGD lr=0.00013").click()
    page.wait_for_function(SHOWN)


def test_dragging_lr_to_the_top_shows_the_divergence(page, lab_url, screenshot):
    open_lab(page, lab_url)
    page.get_by_role("button", name="Run").click()
    page.wait_for_function(f"() => ({CURVES})().points[0] > 3")
    handle = page.locator(".noUi-handle").first
    handle.focus()
    handle.press("End")
    page.get_by_text("diverged at step").first.wait_for(timeout=20_000)
    page.get_by_text("λmax").first.wait_for()
    screenshot(page, "training_diverged")
    assert not page.console_errors


def test_the_next_session_shows_the_learning_rate_too(page, dashboard_url):
    """A page opened after another one closed shows the slider's learning rate and
    follows it, as the first page did."""
    for _ in range(2):
        tab = page.context.new_page()
        tab.goto(dashboard_url)
        tab.get_by_text("Training lab").first.click()
        tab.get_by_text("learning rate: 1e-4").wait_for()
        tab.get_by_role("button", name="Figure: learning rates").click()
        tab.get_by_text("learning rate: 1e-6").wait_for()
        tab.close()
