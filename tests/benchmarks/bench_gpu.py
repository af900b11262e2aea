"""tapescope on the GPU (cupy) against cupy by hand and PyTorch, side by side in one run.

Medians over repeats, each timed between device synchronizations; ratios are tapescope's
time over the others'. A report, not a test. Needs cupy and an NVIDIA GPU (torch with CUDA
for its column).

    python tests/benchmarks/bench_gpu.py
"""
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import engine  # noqa: E402

try:
    import torch
    if not torch.cuda.is_available():
        torch = None
except ImportError:
    torch = None


def median_seconds(fn, sync, repeat=7, number=10):
    fn()
    sync()  # the first call compiles kernels
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        sync()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def report(name, results):
    parts = [f"{k} {v * 1e6:10.1f} us" for k, v in results.items()]
    ratios = [f"x{results['tapescope'] / v:.2f} {k}" for k, v in results.items()
              if k != "tapescope"]
    print(f"{name:40s} " + "  ".join(parts) + "   " + ", ".join(ratios), flush=True)


def matmul_forward_backward(n=4096):
    import cupy as cp
    rng = np.random.default_rng(0)
    a_np, b_np = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    a_cp, b_cp = cp.asarray(a_np), cp.asarray(b_np)
    g_cp = cp.ones((n, n), dtype=cp.float32)

    def by_hand():
        c = a_cp @ b_cp
        return c, g_cp @ b_cp.T, a_cp.T @ g_cp

    a = engine.tensor(a_np, device="cuda", requires_grad=True)
    b = engine.tensor(b_np, device="cuda", requires_grad=True)
    g = engine.ones((n, n), device="cuda")

    def tapescope():
        a.grad = b.grad = None
        (a @ b).backward(g)

    results = {"tapescope": median_seconds(tapescope, engine.cuda.synchronize),
               "cupy by hand": median_seconds(by_hand, engine.cuda.synchronize)}
    if torch is not None:
        at = torch.tensor(a_np, device="cuda", requires_grad=True)
        bt = torch.tensor(b_np, device="cuda", requires_grad=True)
        gt = torch.ones((n, n), device="cuda")

        def with_torch():
            at.grad = bt.grad = None
            (at @ bt).backward(gt)
        results["torch"] = median_seconds(with_torch, torch.cuda.synchronize)
    report(f"{n}x{n} float32 matmul forward+backward", results)


def gradient_descent_step():
    """The lecture's Demo 1 step: 50x4 float64, forward, backward, update."""
    import cupy as cp
    x = np.linspace(-math.pi, math.pi, 50)
    X_np = np.stack([np.ones_like(x), x, x ** 2, x ** 3], 1)
    y_np = np.sin(x)[:, None]
    X_cp, y_cp, beta_cp = cp.asarray(X_np), cp.asarray(y_np), cp.zeros((4, 1))

    def by_hand():
        r = X_cp @ beta_cp - y_cp
        (r ** 2).sum()
        beta_cp.__isub__(1e-5 * (X_cp.T @ (2 * r)))

    X, y = engine.tensor(X_np, device="cuda"), engine.tensor(y_np, device="cuda")
    beta = engine.zeros((4, 1), dtype=engine.float64, device="cuda", requires_grad=True)

    def tapescope():
        loss = (X @ beta - y).pow(2).sum()
        loss.backward()
        with engine.no_grad():
            beta.sub_(1e-5 * beta.grad)
            beta.grad = None

    results = {"tapescope": median_seconds(tapescope, engine.cuda.synchronize, number=100),
               "cupy by hand": median_seconds(by_hand, engine.cuda.synchronize, number=100)}
    if torch is not None:
        Xt, yt = torch.tensor(X_np, device="cuda"), torch.tensor(y_np, device="cuda")
        bt = torch.zeros((4, 1), dtype=torch.float64, device="cuda", requires_grad=True)

        def with_torch():
            loss = (Xt @ bt - yt).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                bt.sub_(1e-5 * bt.grad)
                bt.grad = None
        results["torch"] = median_seconds(with_torch, torch.cuda.synchronize, number=100)
    report("gradient-descent step, 50x4 float64", results)


def main():
    if not engine.cuda.is_available():
        print("no GPU: cupy with an NVIDIA device is needed")
        return
    import cupy as cp
    print(f"cupy {cp.__version__}, torch {torch.__version__ if torch else 'missing'}, "
          f"{cp.cuda.runtime.getDeviceProperties(0)['name'].decode()}")
    matmul_forward_backward()
    gradient_descent_step()


if __name__ == "__main__":
    main()
