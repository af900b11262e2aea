"""Graph lab speed, measured in real Chromium (a script, not a timed test).

    python3 tests/benchmarks/bench_graph_lab.py [--repeats 15]

Every figure is timed inside the page with performance.now(): from the user's action
(an `input` event on the code box, a click on Step, a click that swaps in a new graph)
to the second animation frame after GraphCanvas reports its layout or restyle
("ts-render" event), i.e. after the new picture has been painted. Playwright's own
round trips are not counted. The server-side share (evaluate, trace, DOT, frames) and
the browser's phases (WASM layout, SVG insertion, restyle) are printed beside it; the
rest is Panel/Bokeh messaging and the websocket.

Targets (issue 4): typed change p95 <= 300 ms for the lecture presets; one stepper
step <= 100 ms; a 500-node graph on screen <= 1 s (on an already-loaded page).
The machine is shared: the load average is printed with the figures.
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import panel as pn
from playwright.sync_api import sync_playwright

from app.graph_page import DEBOUNCE_MS, GraphLab
from app.main import build_apps, server_kwargs
from app.presets import PRESETS
from components.graph_view import GraphView, build_dot
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.components.example_snapshot import chain_snapshot
from tests.util import serve_in_thread

# Runs `action` on an element and resolves, after the next "ts-render" of `kind` and two
# animation frames (the result is painted), with the elapsed time and the render's phases.
TIMED = """async (el, [kind, action, text]) => new Promise((resolve) => {
  const on = (ev) => {
    if (ev.detail.kind !== kind) return;
    document.removeEventListener("ts-render", on);
    requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve({ ms: performance.now() - t0, ...ev.detail })));
  };
  document.addEventListener("ts-render", on);
  const t0 = performance.now();
  if (action === "type") { el.value = text; el.dispatchEvent(new Event("input", { bubbles: true })); }
  else el.click();
})"""

# A structural edit (re-layout) and a value-only edit (restyle, same layout) per preset.
EDITS = {name: edit for name, edit in zip(PRESETS, [
    (("3*x", "3*x*x"), ("3*x", "4*x")), (("m*x", "m*x*x"), ("+ 2", "+ 5")),
    (("x*y", "x*y*y"), ("3*x", "5*x")), ((".pow(2)", ".pow(2).exp()"), (".pow(2)", ".pow(3)"))])}


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summary(times):
    return f"p50 {statistics.median(times):.0f} ms, p95 {pct(times, 0.95):.0f} ms, max {max(times):.0f} ms"


def phases(results, *keys):
    return ", ".join(f"{k.replace('_ms', '')} {statistics.median(r[k] for r in results):.1f}"
                     for k in keys) + " ms (medians)"


def median_ms(fn, repeats=9):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def load():
    return "load average " + " ".join(f"{v:.2f}" for v in os.getloadavg())


def server_share():
    """Server work for one typed change, without a browser: GraphLab.refresh end to end."""
    lab, out = GraphLab(), {}
    for preset, code in PRESETS.items():
        structural = code.replace(*EDITS[preset][0])
        codes = itertools.cycle([structural, code])
        out[preset] = median_ms(lambda codes=codes: setattr(lab, "code", next(codes)))
    return out


def typed_change(page, repeats):
    results = {}
    area = page.locator("textarea")
    for preset, code in PRESETS.items():
        page.locator("select").first.select_option(label=preset)
        page.wait_for_timeout(800)
        structural, values = [], []
        for i in range(repeats):
            # alternate: new structure (re-layout), back, value-only edit (restyle), back
            edit, kind, bucket = [(EDITS[preset][0], "layout", structural), (None, "layout", structural),
                                  (EDITS[preset][1], "restyle", values), (None, "restyle", values)][i % 4]
            text = code.replace(*edit) if edit else code
            bucket.append(area.evaluate(TIMED, [kind, "type", text]))
            page.wait_for_timeout(150)   # a pause in typing
        results[preset] = structural, values
    return results


def step_latency(page, repeats):
    page.locator("select").first.select_option(label="f(x, y) = 3x + 1 + 2y² + xy")
    page.wait_for_timeout(1000)
    step = page.get_by_role("button", name="Step", exact=True)
    reset = page.get_by_role("button", name="Reset", exact=True)
    results = []
    for i in range(repeats):
        if i % 8 == 0:
            reset.click()
            page.wait_for_timeout(300)
        results.append(step.evaluate(TIMED, ["restyle", "click", None]))
        page.wait_for_timeout(100)
    return results


def big_graph(browser, nodes, repeats=7):
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
        button = page.get_by_role("button", name="swap graph")
        for _ in range(repeats):
            swaps.append(button.evaluate(TIMED, ["layout", "click", None]))
            page.wait_for_timeout(300)
        page.close()
        return loads, swaps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=16)
    args = parser.parse_args()
    print(load())
    for preset, ms in server_share().items():
        print(f"server share of a typed change [{preset}]: {ms:.1f} ms (evaluate, trace, DOT, backward frames)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with serve_in_thread(build_apps(), **server_kwargs()) as base:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(base)
            page.locator("svg text", has_text="SumBackward0").first.wait_for(timeout=60000)
            everything = []
            for preset, (structural, values) in typed_change(page, args.repeats).items():
                everything += [r["ms"] for r in structural + values]
                print(f"typed change -> graph on screen [{preset}]: new structure {summary([r['ms'] for r in structural])}"
                      f" ({phases(structural, 'layout_ms', 'insert_ms', 'style_ms')}); values only "
                      f"{summary([r['ms'] for r in values])}")
            print(f"typed change, all presets: {summary(everything)} (target p95 <= 300 ms; "
                  f"includes the {DEBOUNCE_MS} ms debounce)")
            steps = step_latency(page, args.repeats)
            print(f"one stepper step (click -> highlight on screen): {summary([r['ms'] for r in steps])} "
                  f"({phases(steps, 'style_ms')}; target <= 100 ms)")
        loads, swaps = big_graph(browser, 500)
        dot_ms = median_ms(lambda: build_dot(chain_snapshot(500)), 5)
        print(f"500-node graph, new graph on a loaded page -> on screen: {summary([r['ms'] for r in swaps])} "
              f"(server DOT {dot_ms:.0f} ms; {phases(swaps, 'layout_ms', 'insert_ms', 'style_ms')}; "
              f"SVG {swaps[0]['bytes'] // 1024} KiB; target <= 1000 ms)")
        print(f"  for reference, page load incl. WASM start-up -> 500-node graph: median "
              f"{statistics.median(loads):.0f} ms")
        browser.close()
    print(load())


if __name__ == "__main__":
    main()
