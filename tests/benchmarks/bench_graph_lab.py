"""Graph lab speed, measured in real Chromium (a script, not a timed test).

    python3 tests/benchmarks/bench_graph_lab.py [--repeats 15]

Prints: typed change -> updated graph on screen (p50/p95) per lecture preset; one
stepper step (click -> highlight moved); a new 500-node graph on screen.
Targets (issue 4): p95 <= 300 ms, 500 nodes <= 1 s, step <= 100 ms.
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import panel as pn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from app.main import build_apps, server_kwargs  # noqa: E402
from app.presets import PRESETS  # noqa: E402
from components.graph_view import GraphView  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.components.example_snapshot import chain_snapshot  # noqa: E402
from tests.util import serve_in_thread  # noqa: E402

RENDER_COUNT = """() => { let n = 0; const walk = (r) => r.querySelectorAll('*').forEach(e => {
  if (e.classList && e.classList.contains('ts-graph')) n = Math.max(n, Number(e.dataset.rendered || 0));
  if (e.shadowRoot) walk(e.shadowRoot); }); walk(document); return n; }"""


EDITS = {name: edit for name, edit in zip(PRESETS, [("3*x", "3*x*x"), ("m*x", "m*x*x"), ("x*y", "x*y*y"),
                                                     (".pow(2)", ".pow(2).exp()")])}


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def wait_render_after(page, before, timeout=10.0):
    deadline = time.perf_counter() + timeout
    while page.evaluate(RENDER_COUNT) <= before:
        if time.perf_counter() > deadline:
            raise TimeoutError("graph did not re-render")
        page.wait_for_timeout(5)


def typed_change(page, repeats):
    results = {}
    area = page.locator("textarea")
    for preset, code in PRESETS.items():
        page.locator("select").first.select_option(label=preset)
        page.wait_for_timeout(800)
        times = []
        for i in range(repeats):
            # a structural edit each time (value-only edits restyle and never re-lay-out)
            edited = code.replace(*EDITS[preset]) if i % 2 == 0 else code
            before = page.evaluate(RENDER_COUNT)
            start = time.perf_counter()
            area.fill(edited)       # fires input events like typing; includes the 100 ms debounce
            wait_render_after(page, before)
            times.append((time.perf_counter() - start) * 1000)
        results[preset] = times
    return results


def step_latency(page, repeats):
    page.locator("select").first.select_option(label="f(x, y) = 3x + 1 + 2y² + xy")
    page.wait_for_timeout(1000)
    times = []
    step = page.get_by_role("button", name="Step", exact=True)
    reset = page.get_by_role("button", name="Reset", exact=True)
    for i in range(repeats):
        if i % 8 == 0:
            reset.click()
            page.wait_for_timeout(300)
        start = time.perf_counter()
        step.click()
        page.locator("g.node.ts-current").first.wait_for(timeout=5000)
        page.wait_for_function("() => true")
        cur = page.locator("text=/step \\d+ \\//").first.text_content()
        times.append((time.perf_counter() - start) * 1000)
        del cur
    return times


def big_graph(browser, nodes, repeats=5):
    """(page load -> graph on screen, new graph on a loaded page -> on screen) in ms."""
    def app():
        view = GraphView(snapshot=chain_snapshot(nodes), height=800)
        button = pn.widgets.Button(name="swap graph")
        sizes = itertools.cycle([nodes + 1, nodes])  # a new structure each click: a real re-layout
        button.on_click(lambda _event: setattr(view, "snapshot", chain_snapshot(next(sizes))))
        return pn.Column(button, view)

    with serve_in_thread(app) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        loads, swaps = [], []
        for _ in range(3):
            start = time.perf_counter()
            page.goto(base)
            page.locator("svg text", has_text="AccumulateGrad").first.wait_for(timeout=60000)
            loads.append((time.perf_counter() - start) * 1000)
        for _ in range(repeats):
            before = page.evaluate(RENDER_COUNT)
            start = time.perf_counter()
            page.get_by_role("button", name="swap graph").click()
            wait_render_after(page, before, timeout=60)
            swaps.append((time.perf_counter() - start) * 1000)
        page.close()
        return loads, swaps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with serve_in_thread(build_apps(), **server_kwargs()) as base:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(base)
            page.locator("svg text", has_text="SumBackward0").first.wait_for(timeout=60000)
            for preset, times in typed_change(page, args.repeats).items():
                print(f"typed change -> graph on screen [{preset}]: p50 {statistics.median(times):.0f} ms, "
                      f"p95 {pct(times, 0.95):.0f} ms (includes the 100 ms debounce)")
            steps = step_latency(page, args.repeats)
            print(f"one stepper step (click -> highlight): p50 {statistics.median(steps):.0f} ms, "
                  f"p95 {pct(steps, 0.95):.0f} ms")
        loads, swaps = big_graph(browser, 500)
        print(f"500-node graph on a loaded page -> on screen: median {statistics.median(swaps):.0f} "
              f"ms, max {max(swaps):.0f} ms; with the page load and WASM start-up: median "
              f"{statistics.median(loads):.0f} ms")
        browser.close()


if __name__ == "__main__":
    main()
