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
        return a_cp @ b_cp, g_cp @ b_cp.T, a_cp.T @ g_cp

    def with_autograd(lib):  # the same code for tapescope and PyTorch
        a = lib.tensor(a_np, device="cuda", requires_grad=True)
        b = lib.tensor(b_np, device="cuda", requires_grad=True)
        g = lib.ones((n, n), device="cuda")

        def step():
            a.grad = b.grad = None
            (a @ b).backward(g)
        return step

    compare(f"{n}x{n} float32 matmul forward+backward", by_hand, with_autograd)


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

    def with_autograd(lib):
        X, y = lib.tensor(X_np, device="cuda"), lib.tensor(y_np, device="cuda")
        beta = lib.zeros((4, 1), dtype=lib.float64, device="cuda", requires_grad=True)

        def step():
            loss = (X @ beta - y).pow(2).sum()
            loss.backward()
            with lib.no_grad():
                beta.sub_(1e-5 * beta.grad)
                beta.grad = None
        return step

    compare("gradient-descent step, 50x4 float64", by_hand, with_autograd, number=100)


def module_sgd_step():
    """The lecture's Demo 2 step: a Module over 200x4 float32, MSELoss, SGD(momentum=0.9)."""
    import cupy as cp
    x = np.linspace(-math.pi, math.pi, 200)
    X_np = np.stack([np.ones_like(x), x, x ** 2, x ** 3], 1).astype(np.float32)
    y_np = np.sin(x).astype(np.float32)
    X_cp, y_cp = cp.asarray(X_np), cp.asarray(y_np)
    beta_cp, buf_cp = cp.zeros(4, dtype=cp.float32), cp.zeros(4, dtype=cp.float32)

    def by_hand():
        r = X_cp @ beta_cp - y_cp
        (r ** 2).mean()
        buf_cp.__imul__(0.9).__iadd__(X_cp.T @ r * (2 / len(r)))
        beta_cp.__isub__(1e-4 * buf_cp)

    def with_autograd(lib):
        X, y = lib.tensor(X_np, device="cuda"), lib.tensor(y_np, device="cuda")
        beta = lib.nn.Parameter(lib.zeros(4, device="cuda"))
        opt = lib.optim.SGD([beta], lr=1e-4, momentum=0.9)
        loss_fn = lib.nn.MSELoss()

        def step():
            loss = loss_fn((X @ beta).squeeze(), y)
            loss.backward()
            opt.step()
            opt.zero_grad()
        return step

    compare("Module + SGD(0.9) step, 200x4 float32", by_hand, with_autograd, number=100)


def compare(name, by_hand, with_autograd, number=10):
    results = {"tapescope": median_seconds(with_autograd(engine), engine.cuda.synchronize,
                                           number=number),
               "cupy by hand": median_seconds(by_hand, engine.cuda.synchronize, number=number)}
    if torch is not None:
        results["torch"] = median_seconds(with_autograd(torch), torch.cuda.synchronize,
                                          number=number)
    report(name, results)


def main():
    if not engine.cuda.is_available():
        print("no GPU: cupy with an NVIDIA device is needed")
        return
    import cupy as cp
    print(f"cupy {cp.__version__}, torch {torch.__version__ if torch else 'missing'}, "
          f"{cp.cuda.runtime.getDeviceProperties(0)['name'].decode()}")
    matmul_forward_backward()
    gradient_descent_step()
    module_sgd_step()


if __name__ == "__main__":
    main()
