"""What a person sees in the graph lab, in real Chromium (offline: external requests aborted)."""
import pytest

from app.presets import PRESETS
from tests.app.test_graph_page import EXPECTED

pytestmark = pytest.mark.browser


def graph_text(page, text):
    return page.locator("svg text", has_text=text)


def open_lab(page, url):
    page.goto(url)
    graph_text(page, "SumBackward0").first.wait_for(timeout=60000)


def test_each_preset_shows_its_node_names(page, dashboard_url, screenshot):
    open_lab(page, dashboard_url)
    for i, preset in enumerate(PRESETS):
        page.locator("select").first.select_option(label=preset)
        for name in EXPECTED[preset]:
            graph_text(page, name).first.wait_for(timeout=15000)
        screenshot(page, f"preset_{i}")
    assert not [e for e in page.console_errors if "Failed to load resource" not in e]


def test_step_moves_highlight_and_leaf_gets_backward_grads(page, dashboard_url, screenshot):
    open_lab(page, dashboard_url)
    current = page.locator("g.node.ts-current text").first
    order = []
    for _ in range(4):
        page.get_by_role("button", name="Step", exact=True).click()
        page.locator(f"text=step {len(order) + 1} / 4").wait_for(timeout=10000)
        order.append(page.locator("g.node.ts-current text").first.text_content())
        screenshot(page, f"step_{len(order)}")
    assert order == ["SumBackward0", "AddBackward0", "MulBackward0", "x"]
    assert graph_text(page, "grad: [3., 3., 3., 3., \u2026]").count() == 1
    assert graph_text(page, "[3., 3., 3., \u2026]").count() >= 1      # the gradient on the edge into x
    page.get_by_role("button", name="Back", exact=True).click()
    page.locator("text=step 3 / 4").wait_for()
    assert current.text_content() == "MulBackward0"
    graph_text(page, "x").first.click()
    page.locator(".ts-inspector >> text=AccumulateGrad").first.wait_for()
    screenshot(page, "inspector_x")


def test_stepping_runs_in_the_browser_and_play_still_works(page, dashboard_url):
    open_lab(page, dashboard_url)
    step = page.get_by_role("button", name="Step", exact=True)
    for _ in range(3):          # quick clicks: each restyles at once, nothing waits for the server
        step.click()
    page.locator("text=step 3 / 4").wait_for(timeout=2000)
    assert page.locator("g.node.ts-current text").first.text_content() == "MulBackward0"
    page.get_by_role("button", name="Reset", exact=True).click()
    page.locator("text=step 0 / 4").wait_for(timeout=2000)
    assert page.locator("g.node.ts-current").count() == 0
    page.get_by_role("button", name="Play / Pause").click()       # driven by the server's timer
    page.locator("text=step 2 / 4").wait_for(timeout=10000)
    page.locator("textarea").fill(PRESETS["f(x, y) = 3x + 1 + 2y\u00b2 + xy"])   # a new graph: back to step 0
    page.locator("text=step 0 / 9").wait_for(timeout=10000)


def test_hostile_input_shows_message_and_server_stays_up(page, dashboard_url, screenshot):
    open_lab(page, dashboard_url)
    page.locator("textarea").fill("x = torch.ones(2, requires_grad=True)\ny = ().__class__.__bases__[0]")
    page.locator("text=not allowed").first.wait_for(timeout=10000)
    assert graph_text(page, "SumBackward0").count() == 1            # last good graph kept
    screenshot(page, "hostile_input")
    open_lab(page, dashboard_url)                                  # a fresh session still works


def test_exported_svg_contains_the_nodes(page, dashboard_url, tmp_path):
    open_lab(page, dashboard_url)
    with page.expect_download() as info:
        page.get_by_role("button", name="SVG", exact=True).click()
    path = tmp_path / "graph.svg"
    info.value.save_as(path)
    svg = path.read_text()
    assert svg.startswith("<svg") and all(n in svg for n in EXPECTED["y = 3x + 2, out = y.sum()"])


def test_standalone_html_steps_offline_from_file(page, tmp_path, screenshot):
    from app.standalone import save_standalone
    path = tmp_path / "lecture.html"
    save_standalone(PRESETS["y = 3x + 2, out = y.sum()"], path)
    page.goto(path.as_uri())
    graph_text(page, "SumBackward0").first.wait_for(timeout=60000)
    for expected in ("SumBackward0", "AddBackward0"):
        page.locator("button.next").first.click()      # the Player's "step forward"
        page.locator("g.node.ts-current text", has_text=expected).first.wait_for(timeout=5000)
    screenshot(page, "standalone")
