"""Training lab benchmarks (figures, not pass/fail). Run from the repo root:

    python3 tests/benchmarks/bench_training_lab.py [preset] [slider] [sessions]

preset:   the momentum figure (7 runs x 10,000 steps) in the engine vs real PyTorch.
slider:   lr slider key-press -> first new point on screen, while three runs stream
          (real Chromium, measured in the page with requestAnimationFrame).
sessions: 20 protocol-level sessions (bokeh.client, loopback), each streaming a run;
          server and training-process CPU, and every session's slider -> marker latency.
"""
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MOMENTA = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99)


def pct(values, q):
    return float(np.percentile(values, q)) if len(values) else math.nan


def report(name, values_ms):
    print(f"  {name}: n={len(values_ms)} median={pct(values_ms, 50):.0f} ms "
          f"p95={pct(values_ms, 95):.0f} ms max={max(values_ms, default=math.nan):.0f} ms")


# ---- momentum preset: engine vs PyTorch ---------------------------------------------------
def torch_momentum_figure(torch, steps):
    x = torch.linspace(-math.pi, math.pi, 200)
    y = torch.sin(x)
    X = torch.vstack((torch.ones_like(x), x, x**2, x**3)).T
    finals = []
    for momentum in MOMENTA:
        beta = torch.nn.Parameter(torch.zeros(4))
        opt = torch.optim.SGD([beta], lr=1e-4, momentum=momentum)
        loss_fn = torch.nn.MSELoss()
        for _ in range(steps):
            loss = loss_fn((X @ beta).squeeze(), y.squeeze())
            loss.backward()
            opt.step()
            opt.zero_grad()
            last = loss.item()
        finals.append(last)
    return finals


def bench_preset(steps=10_000):
    import app.training as training
    print(f"momentum preset: 7 runs x {steps:,} steps (lecture loop, float32, mean MSE)")
    training.PRESET_BASE["steps"] = steps
    session = training.TrainingSession(stop_when_converged=False)
    started = time.perf_counter()
    runs = session.start_preset("momentum")
    session.wait_until_idle(600)
    lab_s = time.perf_counter() - started
    session.close()
    print(f"  engine, TrainingSession (training process, all 7 racing): {lab_s:.2f} s  "
          f"({lab_s / (7 * steps) * 1e6:.0f} us/step)")
    import engine
    started = time.perf_counter()
    engine_finals = torch_momentum_figure(engine, steps)
    plain_s = time.perf_counter() - started
    print(f"  engine, the lecture's loop run one after another:        {plain_s:.2f} s")
    try:
        import torch
    except ImportError:
        print("  PyTorch not installed: skipped")
        return
    torch.set_num_threads(1)
    started = time.perf_counter()
    torch_finals = torch_momentum_figure(torch, steps)
    torch_s = time.perf_counter() - started
    print(f"  PyTorch {torch.__version__}, the same loop:                  {torch_s:.2f} s  "
          f"-> lab/torch = {lab_s / torch_s:.2f}")
    lab_finals = [run.losses[-1] for run in runs]
    print("  final losses lab/engine/torch:", ", ".join(
        f"m={m}: {a:.4g}/{b:.4g}/{c:.4g}" for m, a, b, c in zip(MOMENTA, lab_finals, engine_finals, torch_finals)))


# ---- slider latency in Chromium while three runs stream --------------------------------
# The clock starts at the key press as the page received it (the keydown event's own
# timestamp): Playwright's element lookups before it are no part of what a person waits for.
ARM = """() => {
  const src = [...Bokeh.documents[0].all_models].find(m => m.name === 'loss_markers');
  const n0 = src.data.text.length; window.__t1 = null; window.__t0 = null;
  document.addEventListener('keydown', e => { window.__t0 = e.timeStamp; }, {capture: true, once: true});
  const poll = () => { if (src.data.text.length > n0) window.__t1 = performance.now();
                       else requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
}"""


def bench_slider(presses=30):
    from playwright.sync_api import sync_playwright

    from app.training_page import training_page
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.util import serve_in_thread
    print(f"slider -> first new point on screen, three runs streaming ({presses} key presses)")
    with serve_in_thread(training_page) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/")
        page.get_by_role("button", name="Run").wait_for()
        steps = page.get_by_label("Steps")
        steps.fill("100000")
        steps.press("Enter")
        for last in (False, False, True):
            page.get_by_role("button", name="Run").click()
            page.wait_for_timeout(300)
            if not last:
                page.get_by_role("button", name="Add to comparison").click()
        page.wait_for_timeout(1000)
        handle = page.locator(".noUi-handle").first
        handle.focus()
        latencies = []
        for i in range(presses):
            page.evaluate(ARM)
            handle.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            page.wait_for_function("() => window.__t1 !== null", timeout=10_000)
            latencies.append(page.evaluate("() => window.__t1 - window.__t0"))
            page.wait_for_timeout(150)
        running = page.get_by_text("running: step").count()
        browser.close()
    report(f"slider -> marker+point (runs still running: {running})", latencies)


# ---- many protocol-level sessions ----------------------------------------------------------
SERVER = """
import sys; sys.path.insert(0, {root!r})
import panel as pn
from app.training_page import training_page
def autostart():
    lab = training_page()
    lab.session.steps = 100_000
    pn.state.onload(lab.session.start)     # once the client has the page, as a Run click would
    return lab
pn.serve({{"lab": autostart}}, port={port}, address="127.0.0.1", show=False, threaded=False,
         websocket_origin=["127.0.0.1:{port}"], check_unused_sessions_milliseconds=500,
         unused_session_lifetime_milliseconds=1000, liveness=True)
"""


class ProtocolClient:
    """One bokeh.client session with its own IOLoop thread (the client only reads its
    websocket while `loop_until_closed` runs). Like a browser, it announces DocumentReady
    once it has the document (Panel sends a session's stream and text updates only after
    that), then times lr slider -> the marker streamed into `loss_markers`, which the page
    sends with the first point at the new lr."""

    def __init__(self, url):
        self.url, self.ready, self.latencies, self.updates = url, threading.Event(), [], 0
        self._pending = None
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        from bokeh.client import pull_session
        from bokeh.document.events import MessageSentEvent
        from bokeh.events import DocumentReady
        from bokeh.models import Slider
        from tornado.ioloop import IOLoop
        self.loop = IOLoop()
        self.session = pull_session(url=self.url, io_loop=self.loop)
        doc = self.session.document
        self.slider = [m for m in doc.select({"type": Slider}) if m.title == "learning rate"][0]
        doc.on_change(self._changed)
        # Bokeh 3.9 made these private; they are still how a client talks.
        self.session._connection._send_patch_document(
            self.session.id, MessageSentEvent(doc, "bokeh_event", DocumentReady()))
        self.ready.set()
        (getattr(self.session, "loop_until_closed", None) or self.session._loop_until_closed)()

    def _changed(self, event):
        self.updates += 1
        if self._pending is None or getattr(event.model, "name", None) != "loss_markers":
            return
        texts = getattr(event, "data", {}).get("text", [])
        if any(self._pending[0] in text for text in texts):
            self.latencies.append((time.perf_counter() - self._pending[1]) * 1000)
            self._pending = None

    def run_status(self):
        import html
        import re
        status = self.session.document.select_one({"name": "run_status"})
        text = html.unescape(status.text) if status else "?"
        return re.sub(r"<[^>]+>|&#9632;|step \d+|\d+ steps", "", text).strip()

    def move_slider(self, log10_lr):
        label = f"lr→{float(f'{10 ** log10_lr:.2g}'):g}"

        def move():
            self._pending = (label, time.perf_counter())
            self.slider.value = log10_lr
        self.loop.add_callback(move)

    def close(self):
        self.loop.add_callback(self.session.close)


def bench_sessions(n_sessions=20, seconds=30):
    import panel  # noqa: F401  (registers Panel's models for the client documents)
    import psutil

    from tests.util import free_port, wait_for_http
    port = free_port()
    print(f"{n_sessions} protocol-level sessions, one 100k-step run each, {seconds} s")
    pin_server = ["taskset", "-c", "0"] if os.cpu_count() > 1 else []
    server = subprocess.Popen([*pin_server, sys.executable, "-c", SERVER.format(root=str(ROOT), port=port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.cpu_count() > 1:
        os.sched_setaffinity(0, {1})
    try:
        wait_for_http(f"http://127.0.0.1:{port}/liveness", timeout=60)
        proc = psutil.Process(server.pid)
        baseline_threads = proc.num_threads()
        clients = [ProtocolClient(f"http://127.0.0.1:{port}/lab") for _ in range(n_sessions)]
        for client in clients:
            client.ready.wait(60)
        time.sleep(2)
        trainer = proc.children()[0]        # the training process
        me = psutil.Process()                   # the clients
        proc.cpu_percent(None), trainer.cpu_percent(None), me.cpu_percent(None)
        updates0, started, k = sum(c.updates for c in clients), time.monotonic(), 0
        while time.monotonic() - started < seconds:
            clients[k % n_sessions].move_slider(-3.9 if (k // n_sessions) % 2 == 0 else -4.0)
            k += 1
            time.sleep(2.0 / n_sessions)      # each session moves its slider every 2 s
        elapsed = time.monotonic() - started
        cpu = proc.cpu_percent(None)
        trainer_cpu, client_cpu = trainer.cpu_percent(None), me.cpu_percent(None)
        rate = (sum(c.updates for c in clients) - updates0) / elapsed / n_sessions
        time.sleep(1)
        print(f"  server CPU {cpu:.0f} % of one core (training process: {trainer_cpu:.0f} %); {rate:.1f} model updates/s received per session (clients: {client_cpu:.0f} % of a core); "
              f"rss {proc.memory_info().rss / 2**20:.0f} MiB; threads {proc.num_threads()}")
        report("slider -> marker streamed, all sessions", [x for c in clients for x in c.latencies])
        print("  per-session p95 (ms):", " ".join(f"{pct(c.latencies, 95):.0f}" for c in clients))
        print("  runs:", ", ".join(sorted({c.run_status() for c in clients})))
        for client in clients:
            client.close()
        time.sleep(4)
        print(f"  after closing: server CPU {proc.cpu_percent(0.5):.0f} %, threads {proc.num_threads()} "
              f"(before any session: {baseline_threads})")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    parts = sys.argv[1:] or ["preset", "slider", "sessions"]
    for part in parts:
        {"preset": bench_preset, "slider": bench_slider, "sessions": bench_sessions}[part]()
