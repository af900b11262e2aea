"""tapescope's engine against PyTorch, side by side in one run.

Interleaves the two and prints ratios (tapescope / PyTorch; below 1 means faster) of the
medians over repeats, and in brackets of the best times, which a busy machine disturbs
least. A report, not a test: machines are shared and noisy.

    python tests/benchmarks/bench_engine.py [--quick]
"""
import math
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import engine  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

QUICK = "--quick" in sys.argv


def timeit(fn, repeat, number):
    """Median seconds per call over ``repeat`` batches of ``number`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def side_by_side(name, make, repeat=7, number=1000):
    """``make(lib)`` returns a zero-argument callable; lib is engine, torch or numpy."""
    libs = {"tapescope": engine, "torch": torch, "numpy": np}
    fns = {k: make(v) for k, v in libs.items() if v is not None and make(v) is not None}
    results = {k: [] for k in fns}
    for _ in range(repeat):  # interleaved, so both see the same machine load
        for k, fn in fns.items():
            results[k].append(timeit(fn, 1, number))
    med = {k: statistics.median(v) for k, v in results.items()}
    best = {k: min(v) for k, v in results.items()}
    parts = [f"{k} {v * 1e6:9.2f} us" for k, v in med.items()]
    ratios = []
    for other in ("torch", "numpy"):
        if other in med:
            ratios.append(f"x{med['tapescope'] / med[other]:.2f} {other} "
                          f"(best x{best['tapescope'] / best[other]:.2f})")
    print(f"{name:44s} " + "  ".join(parts) + "   " + ", ".join(ratios), flush=True)
    return med


def small_add(lib):
    if lib is np:
        a, b = np.ones(4, np.float32), np.ones(4, np.float32)
    else:
        a, b = lib.ones(4), lib.ones(4)
    return lambda: a + b


def big_elementwise(lib):
    n = 4_000_000
    if lib is np:
        a, b = np.ones(n, np.float32), np.ones(n, np.float32)
        return lambda: a * b + a
    a, b = lib.ones(n), lib.ones(n)
    return lambda: a * b + a


def big_matmul(lib):
    n = 512
    rng = np.random.default_rng(0)
    a_np, b_np = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    if lib is np:
        return lambda: a_np @ b_np
    a, b = lib.from_numpy(a_np), lib.from_numpy(b_np)
    return lambda: a @ b


def design(lib, n, dtype):
    x = np.linspace(-math.pi, math.pi, n)
    X = np.stack([np.ones_like(x), x, x ** 2, x ** 3], 1).astype(dtype)
    return lib.from_numpy(X), lib.from_numpy(np.sin(x).astype(dtype)[:, None])


def gradient_descent_loop(lib, steps):
    """The lecture's Demo 1 loop: float64, 50x4, forward, backward, update under no_grad."""
    if lib is np:
        return None
    Xt, yt = design(lib, 50, np.float64)

    def run():
        bt = lib.zeros((4, 1), dtype=lib.float64, requires_grad=True)
        for _ in range(steps):
            loss = (Xt @ bt - yt).pow(2).sum()
            loss.backward()
            with lib.no_grad():
                bt -= 1e-5 * bt.grad
                bt.grad = None
        return bt
    return run


def gradient_descent_backward(lib):
    """One backward pass of the Demo 1 loss, over a graph kept with retain_graph."""
    if lib is np:
        return None
    Xt, yt = design(lib, 50, np.float64)
    bt = lib.zeros((4, 1), dtype=lib.float64, requires_grad=True)
    loss = (Xt @ bt - yt).pow(2).sum()

    def run():
        loss.backward(retain_graph=True)
        bt.grad = None
    return run


def gradient_descent_phases(steps=2000, repeat=5):
    """Where a gradient-descent step spends its time: forward, backward and update, each
    summed over ``steps`` steps, best of ``repeat`` interleaved runs."""
    if torch is None:
        return
    clock = time.perf_counter

    def run(lib):
        Xt, yt = design(lib, 50, np.float64)
        bt = lib.zeros((4, 1), dtype=lib.float64, requires_grad=True)
        spent = [0.0, 0.0, 0.0]
        for _ in range(steps):
            t0 = clock()
            loss = (Xt @ bt - yt).pow(2).sum()
            t1 = clock()
            loss.backward()
            t2 = clock()
            with lib.no_grad():
                bt -= 1e-5 * bt.grad
                bt.grad = None
            t3 = clock()
            for i, took in enumerate((t1 - t0, t2 - t1, t3 - t2)):
                spent[i] += took
        return spent

    best = {}
    for _ in range(repeat):
        for name, lib in (("tapescope", engine), ("torch", torch)):
            spent = run(lib)
            best[name] = [min(pair) for pair in zip(best.get(name, spent), spent)]
    parts = [f"{phase} {t * 1e6 / steps:.1f} / {p * 1e6 / steps:.1f} us (x{t / p:.2f})"
             for phase, t, p in zip(("forward", "backward", "update"), best["tapescope"],
                                    best["torch"])]
    print("gradient descent step, tapescope / torch: " + ", ".join(parts))


def module_sgd_loop(lib, steps):
    """The lecture's Demo 2 model with SGD(momentum=0.9): float32, 200x4."""
    if lib is np:
        return None
    X, y = design(lib, 200, np.float32)
    y = y.squeeze()

    class Model(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.beta = lib.nn.Parameter(lib.zeros(4))

        def forward(self, X):
            return X @ self.beta

    def run():
        m = Model()
        opt = lib.optim.SGD(m.parameters(), lr=1e-4, momentum=0.9)
        loss_fn = lib.nn.MSELoss()
        for _ in range(steps):
            loss = loss_fn(m(X).squeeze(), y)
            loss.backward()
            opt.step()
            opt.zero_grad()
        return m
    return run


def memory_over_training(steps=10000):
    """Resident memory while the Module loop trains: the graph must be freed every step."""
    import gc
    import resource

    from engine.autograd.node import Node

    def rss_mib():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2 ** 20

    run = module_sgd_loop(engine, steps // 10)
    run()
    start = rss_mib()
    for _ in range(9):
        run()
    gc.collect()
    with warnings.catch_warnings():  # isinstance() pokes deprecated objects in torch
        warnings.simplefilter("ignore")
        live = sum(isinstance(o, Node) for o in gc.get_objects())
    print(f"memory: RSS {start:.1f} MiB after {steps // 10} steps, {rss_mib():.1f} MiB after "
          f"{steps} steps; graph nodes alive afterwards: {live}")


def main():
    if torch is not None:
        torch.set_num_threads(2)
    print(f"torch {'missing' if torch is None else torch.__version__}, numpy {np.__version__}")
    side_by_side("4-element add (no grad)", small_add, number=20000)
    side_by_side("4M-element a*b+a float32", big_elementwise, repeat=5, number=5)
    side_by_side("512x512 float32 matmul", big_matmul, repeat=5, number=20)
    steps = 500 if QUICK else 5000
    side_by_side(f"gradient descent, 50x4 f64, {steps} steps",
                 lambda lib: gradient_descent_loop(lib, steps), repeat=5, number=1)
    side_by_side("gradient descent backward only", gradient_descent_backward, number=2000)
    gradient_descent_phases(200 if QUICK else 2000)
    steps = 1000 if QUICK else 10000
    side_by_side(f"Module + SGD(0.9), 200x4 f32, {steps} steps",
                 lambda lib: module_sgd_loop(lib, steps), repeat=3, number=1)
    memory_over_training()


if __name__ == "__main__":
    main()
