"""Write tests/golden/printing.json: real PyTorch's reprs, the oracle for engine.printing.

Run with PyTorch installed: ``python3 tests/golden/make_printing_golden.py``.

Each case holds the tensor's flat values (complex as ``[re, im]``; nan and infinities as the
strings ``"nan"``, ``"inf"``, ``"-inf"``), its shape and dtype name, a list of
``set_printoptions`` calls to make first, the suffix arguments and torch's exact repr.
"""
import json
import math
import pathlib

import numpy as np
import torch

OUT = pathlib.Path(__file__).with_name("printing.json")
cases = []


class tensor(torch.Tensor):  # noqa: N801 - torch prints the class name as the repr prefix
    """A CPU tensor that claims another device or grad_fn, to get torch's repr for those."""

    fake_device = None
    fake_grad_fn = None

    @property
    def device(self):
        return torch.device(self.fake_device) if self.fake_device else super().device

    @property
    def grad_fn(self):
        return type(self.fake_grad_fn, (), {})() if self.fake_grad_fn else None


def encode(x):
    if isinstance(x, complex):
        return [encode(x.real), encode(x.imag)]
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return x


def encode_options(calls):
    return [{k: encode(v) for k, v in call.items()} for call in calls]


def add(t, *options, device=None, grad_fn=None, parameter=False, default_dtype=None):
    """Record torch's repr of ``t`` after the ``set_printoptions`` calls in ``options``."""
    torch.set_printoptions(profile="default")
    if default_dtype is not None:
        torch.set_default_dtype(getattr(torch, default_dtype))
    for call in options:
        torch.set_printoptions(**call)
    if device or (grad_fn and t.grad_fn is None):
        shown = torch.Tensor._make_subclass(tensor, t.detach(), t.requires_grad)
        shown.fake_device, shown.fake_grad_fn = device, grad_fn
    elif parameter:
        shown = torch.nn.Parameter(t.detach(), requires_grad=t.requires_grad)
    else:
        shown = t
    expected = repr(shown)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    if t.grad_fn is not None:
        grad_fn = type(t.grad_fn).__name__
    cases.append({
        "kind": "parameter" if parameter else "tensor",
        "values": [encode(v) for v in t.detach().reshape(-1).tolist()],
        "shape": list(t.shape),
        "dtype": str(t.dtype).removeprefix("torch."),
        "options": encode_options(options),
        "default_dtype": default_dtype,
        "device": device,
        "grad_fn": grad_fn,
        "requires_grad": t.requires_grad,
        "expected": expected,
    })


def T(data, dtype=None, **kw):
    return torch.tensor(data, dtype=dtype, **kw)


def lecture():
    add(T(1 / 3, torch.float16), {"precision": 8})
    add(T(1 / 3), {"precision": 8})
    add(T([[2, 4], [8, 16]]))
    add(T([[False, False], [True, True]]))
    column = [[0.03143311], [0.78484316], [-0.00520945], [-0.08260584]]
    add(T(column, torch.float64, requires_grad=True), {"precision": 8})
    add(T(column, torch.float64, requires_grad=True))
    for precision in (4, 8):
        add(torch.linspace(-1, 1, 21, requires_grad=True), {"precision": precision})
        add(torch.linspace(-math.pi, math.pi, 21, requires_grad=True), {"precision": precision})
        add(torch.linspace(0, 2, 21, dtype=torch.float64, requires_grad=True),
            {"precision": precision})
    sines = torch.sin(torch.linspace(-math.pi, math.pi, 50, dtype=torch.float64))
    add(sines, {"precision": 8})
    add(sines)
    add(sines[:8], {"precision": 8})
    x = torch.linspace(-1, 1, 21, requires_grad=True)
    add(x * 2)
    add((x ** 2).sum())
    add(torch.tanh(x[:5]), {"precision": 8})


def floats():
    add(T([1.0, 2.0]))
    add(T([1.0, 2.0], torch.float64, requires_grad=True))
    add(T([1.5, 2.25, -3.125]))
    add(T([0.1, 0.2, 0.3]))
    add(T([-0.0, 1.5]))
    add(T([-0.0, 0.0]))
    add(T([0.0, 0.0, 0.0]))
    add(T(0.0))
    add(T(-0.0))
    add(T(2.0))
    add(T(-2.5))
    add(T(123456.0))
    add(T(1e-5))
    add(T(1e10))
    add(T([1.0, 1000.0]))
    add(T([1.0, 1001.0]))
    add(T([1.5, 1000.0]))
    add(T([1.5, 1500.0]))
    add(T([1e8, 1.0]))
    add(T([1e8 + 8, 1e8]))
    add(T([1.0e-4, 1.0]))
    add(T([0.99e-4, 1.0]))
    add(T([1e-4, 2e-4]))
    add(T([123456789.0, -1.0]))
    add(T([1e20, -1e-20, 3.0]))
    add(T([1e100, 1e-100, -5.0], torch.float64))
    add(T([1e300, -1e-300], torch.float64))
    add(T([5e-324, 1.0], torch.float64))
    add(T([9.99996, 1.0]))
    add(T([99999.5, 0.5]))
    add(T([-9.99999e-5, 1.0]))
    add(T([3.4e38, -3.4e38]))


def nonfinite():
    nan, inf = math.nan, math.inf
    add(T([nan, 1.0, 2.0]))
    add(T([nan, 1.5, -2.0]))
    add(T([inf, -inf, nan]))
    add(T([inf, 1.0]))
    add(T([-inf, 1.0, 100.0]))
    add(T([inf, 1.5e-7]))
    add(T([nan, 0.0]))
    add(T(nan))
    add(T(-inf))
    add(T([nan, inf, -inf, 0.0, -0.0, 1.0, -1.5, 1e10], torch.float64))
    add(T([[nan, 1.0], [2.0, -inf]]))
    add(T([nan, -12345.678, 0.001]))
    add(T([inf, 2.0, nan], torch.float16))
    add(T([inf, 2.5, nan], torch.bfloat16))


def small_floats():
    add(T([1 / 3, 2 / 3, 65504.0], torch.float16))
    add(T([0.1, 0.2, 0.3], torch.float16))
    add(T([6e-8, 1.0], torch.float16))
    add(T([70000.0, 1.0], torch.float16))
    add(T(1 / 3, torch.float16))
    add(T(1 / 3, torch.bfloat16))
    add(T(1 / 3, torch.bfloat16), {"precision": 8})
    add(T([0.1, 0.2, 0.3], torch.bfloat16))
    add(T([1e30, 1e-30, 3.0], torch.bfloat16))
    add(T([[1.0, 2.0], [3.0, 4.0]], torch.bfloat16, requires_grad=True))
    add(T([256.0, 257.0, 1.0], torch.bfloat16))
    add(T(1 / 3, torch.float64))
    add(T(1 / 3, torch.float64), {"precision": 16})
    add(T([1 / 3, 1e-9], torch.float64), {"precision": 12})


def complexes():
    nan, inf = math.nan, math.inf
    add(T([1 + 2j, -3.5 - 0.25j]))
    add(T([1 + 2j, 3 + 4j]))
    add(T([1 + 2j, 3 + 4j], torch.complex128))
    add(T(1 + 2j))
    add(T(-1.5 - 2.5j, torch.complex128))
    add(T(complex(1, -0.0)))
    add(T([complex(1, -0.0), complex(-0.0, 0.0)]))
    add(T([complex(nan, 1), complex(1, inf), complex(2, -inf)]))
    add(T([1e-8 + 1j, 1e8 - 1e-3j]))
    add(T([[1 + 1j, 2 - 2j], [3.25 + 0j, -4 - 4.5j]]))
    add(T([1e-8 + 1j, 1 + 1j]), {"precision": 2})
    add(T([0.5 + 1j] * 12, torch.complex128))
    add(T([1 + 1j, 2 + 2j]), {"sci_mode": True})
    add(torch.arange(3000, dtype=torch.float64).reshape(1000, 3) * (1 + 0.5j))


def integers_and_bools():
    add(T([0, 255], torch.uint8))
    add(T([-128, 0, 127], torch.int8))
    add(T([-32768, 32767], torch.int16))
    add(T([-2**31, 2**31 - 1], torch.int32))
    add(T([-2**63, 2**63 - 1]))
    add(T([1, -1, 10, -100]))
    add(T(5))
    add(T(-7, torch.int32))
    add(T(7, torch.uint8))
    add(torch.arange(30))
    add(torch.arange(-50, 50, 3, dtype=torch.int16))
    add(torch.arange(12, dtype=torch.int32).reshape(3, 4))
    add(torch.arange(24).reshape(2, 3, 4) * 1000)
    add(T([True, False, True]))
    add(T([True, True]))
    add(T(True))
    add(T(False))
    add(T([[True], [False]]))
    add(torch.arange(40) % 3 == 0)
    add(torch.arange(2000) % 3 == 0)


def empties():
    add(T([]))
    add(torch.zeros(0, 3))
    add(torch.zeros(2, 0, 4))
    add(torch.zeros(0, dtype=torch.int64))
    add(torch.zeros(0, 2, dtype=torch.int64))
    add(torch.zeros(0, dtype=torch.bool))
    add(torch.zeros(0, dtype=torch.float64))
    add(torch.zeros(0, dtype=torch.complex64))
    add(torch.zeros(0, dtype=torch.float16))
    add(torch.zeros(0, 3, requires_grad=True))
    add(torch.zeros(0, dtype=torch.float64), default_dtype="float64")
    add(torch.zeros(0, dtype=torch.float32), default_dtype="float64")
    add(torch.zeros(0, 5), {"edgeitems": 0})


def multidim():
    add(T([[1.0, -2.0], [3.5, 4.0]]))
    add(torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) - 11.5)
    add(torch.arange(16, dtype=torch.float64).reshape(2, 2, 2, 2))
    add(torch.arange(32).reshape(2, 2, 2, 2, 2))
    add(torch.ones(1, 1, 1))
    add(torch.ones(3, 1))
    add(torch.ones(1, 3))
    add(torch.ones(2, 1, 3, requires_grad=True))
    add(torch.arange(90, dtype=torch.float32).reshape(3, 30) / 7)
    add(torch.arange(60).reshape(2, 30))
    add(torch.arange(120, dtype=torch.float64).reshape(2, 2, 30) ** 3)


def wrapping():
    for n in range(8, 17):
        add((torch.arange(n, dtype=torch.float64) * 1.5).requires_grad_())
        add(torch.arange(n, dtype=torch.float32) * -1.25 + 0.5, grad_fn="MulBackward0")
    for n in (5, 6, 7, 11, 12, 13):
        add(torch.arange(n, dtype=torch.float16) * 1000.5, grad_fn="AddBackward0")
    add(torch.arange(100))
    add(torch.arange(100, dtype=torch.float32))
    add(torch.arange(35, dtype=torch.float32), {"linewidth": 40})
    add(torch.arange(35, dtype=torch.float32), {"linewidth": 120})
    add(torch.arange(10, dtype=torch.float32), {"linewidth": 10})
    add(torch.arange(10, dtype=torch.float32), {"linewidth": 1})
    add(torch.arange(12.0).reshape(3, 4) * 1e-6, {"linewidth": 30})
    add(T([1.0, 2.0], requires_grad=True), {"linewidth": 20})
    add(T([1.0, 2.0], torch.float64, requires_grad=True), {"linewidth": 30})
    add(T([1.0, 2.0], torch.float64), {"linewidth": 10})
    add(T([[1.0, 2.0], [3.0, 4.0]], torch.float64, requires_grad=True), {"linewidth": 30})


def summaries():
    add(torch.arange(10), {"threshold": 5})
    add(torch.arange(2000))
    add(torch.arange(2000, dtype=torch.float32) / 3)
    add(torch.arange(2000).reshape(40, 50))
    add(torch.arange(2000, dtype=torch.float64).reshape(10, 10, 20) - 1000)
    add(torch.arange(2400).reshape(2, 3, 4, 5, 20))
    add(torch.arange(1001))
    add(torch.arange(1000))
    add(torch.arange(100).reshape(10, 10), {"threshold": 50})
    add(torch.arange(100).reshape(10, 10), {"threshold": 50, "edgeitems": 1})
    add(torch.arange(100).reshape(10, 10), {"threshold": 50, "edgeitems": 5})
    add(torch.arange(100).reshape(10, 10), {"threshold": 50, "edgeitems": 2})
    add(torch.arange(10), {"threshold": 5, "edgeitems": 0})
    add(torch.arange(10.0), {"threshold": 5, "edgeitems": 0})
    add(torch.arange(10), {"edgeitems": 0})
    add(torch.arange(20.0).reshape(4, 5), {"threshold": 5, "edgeitems": 0})
    add(torch.arange(20.0).reshape(4, 5), {"edgeitems": 0})
    add(torch.arange(8).reshape(2, 4), {"threshold": 1})
    add(T(3.5), {"threshold": 0})
    hidden_outlier = torch.ones(2000)
    hidden_outlier[1000] = 1e10
    add(hidden_outlier)
    add(hidden_outlier, {"profile": "full"})
    add(torch.arange(1200, dtype=torch.float32) / 8, {"profile": "full"})
    add(torch.arange(30.0) / 3, {"profile": "short"})
    add(torch.arange(2000.0) / 3, {"profile": "short"})
    add(torch.arange(40.0).reshape(8, 5) / 3, {"profile": "short", "threshold": 10})
    add(torch.arange(2000) % 2 == 0, {"edgeitems": 2})


def options():
    values = T([1.123456789, -22.5, 0.001])
    for precision in (0, 1, 2, 4, 8, 10):
        add(values, {"precision": precision})
    add(values, {"sci_mode": True})
    add(values, {"sci_mode": False})
    add(values, {"precision": 2, "sci_mode": True})
    add(T([1.0, 2.0]), {"sci_mode": True})
    add(T([0.0, 0.0]), {"sci_mode": True})
    add(T([1e-10, 1e10]), {"sci_mode": False})
    add(T([1e-10, 1e10], torch.float64), {"sci_mode": False, "precision": 2})
    add(T([1e9, 2e9]), {"sci_mode": False})
    add(T(1e-5), {"sci_mode": False})
    add(T([1e-5, 1.0]), {"sci_mode": True}, {"precision": 3})  # the second call drops sci_mode
    add(values, {"precision": 2}, {"profile": "default"})
    add(values, {"profile": "short"})
    add(values, {"profile": "short", "precision": 6})
    add(values, {"profile": "full"})
    add(values, {"profile": "nonsense"})


def randoms():
    rng = np.random.default_rng(20240613)
    float_types = (torch.float32, torch.float64, torch.float16, torch.bfloat16)
    for k in range(-12, 13, 2):
        dtype = float_types[(k // 2) % 4]
        add(torch.from_numpy(rng.standard_normal(6) * 10.0 ** k).to(dtype))
    for i in range(16):
        shape = [(8,), (3, 4), (2, 3, 2), (5,), (2, 9)][i % 5]
        n = int(np.prod(shape))
        data = rng.standard_normal(n) * 10.0 ** rng.uniform(-6, 6, n)
        add(torch.from_numpy(data.reshape(shape)).to(float_types[i % 4]))
    for i in range(8):
        data = rng.standard_normal(5) * 10.0 ** rng.uniform(-3, 3)
        add(torch.from_numpy(data).float(), {"precision": [2, 4, 8, 6][i % 4]})
    for i in range(6):
        data = np.round(rng.standard_normal(6) * 10.0 ** (2 * i))
        add(torch.from_numpy(data).to(float_types[i % 4]))
    for i in range(4):
        data = rng.standard_normal(4) + 1j * rng.standard_normal(4) * 10.0 ** (3 * i - 4)
        add(torch.from_numpy(data).to(torch.complex64 if i % 2 else torch.complex128))
    for dtype, bound in ((torch.int8, 128), (torch.int16, 2**15), (torch.int32, 2**31),
                         (torch.int64, 2**40), (torch.uint8, 256)):
        low = 0 if dtype is torch.uint8 else -bound
        add(torch.from_numpy(rng.integers(low, bound, (3, 5))).to(dtype))
    big = torch.from_numpy(rng.standard_normal((30, 40)) * 100).float()
    add(big)
    add(big.double(), {"edgeitems": 2})


def suffixes():
    add(T([1.0, 2.0]), device="cuda:0")
    add(T([1.0, 2.0], torch.float64, requires_grad=True), device="cuda:0")
    add(T([1.0, 2.0], torch.float64), device="cuda:1", grad_fn="AddBackward0")
    add(torch.zeros(0, 3), device="cuda:0")
    add(torch.arange(5), device="cuda:0")
    add(torch.arange(13, dtype=torch.float16) * 1.5, device="cuda:0",
        grad_fn="NativeLayerNormBackward0")
    add(torch.arange(9, dtype=torch.float64).reshape(3, 3), device="cuda:0")
    add(T(1.0), grad_fn="SumBackward0")
    add(T(1.0, torch.float64), grad_fn="MeanBackward0")
    add(T([1.0, 2.0], torch.bfloat16, requires_grad=True))
    add(torch.arange(12.0).reshape(3, 4).requires_grad_(), {"edgeitems": 0})
    add(torch.ones(3, dtype=torch.float64), {"edgeitems": 0}, grad_fn="ViewBackward0")
    add(torch.arange(6.0, requires_grad=True).view(2, 3))
    add(torch.arange(6.0, requires_grad=True).clone())
    add(torch.arange(4.0, requires_grad=True) + 1)
    add(torch.arange(4.0, requires_grad=True) * 2)


def defaults():
    add(T([1.0, 2.0], torch.float64), default_dtype="float64")
    add(T([1.0, 2.0], torch.float32), default_dtype="float64")
    add(T([1 + 1j], torch.complex128), default_dtype="float64")
    add(T([1 + 1j], torch.complex64), default_dtype="float64")
    add(T([1.0, 2.0], torch.float16), default_dtype="float16")
    add(T([1 + 1j], torch.complex64), default_dtype="float16")
    add(T([1.0, 2.0], torch.float32), default_dtype="float16")
    add(T([1.0, 2.0], torch.bfloat16), default_dtype="bfloat16")


def parameters():
    rng = np.random.default_rng(7)
    add(torch.from_numpy(rng.standard_normal((3, 2))).float().requires_grad_(), parameter=True)
    add(torch.from_numpy(rng.standard_normal(4)).requires_grad_(), parameter=True)
    add(torch.zeros(2, 2), parameter=True)
    add(torch.zeros(0, 2, requires_grad=True), parameter=True)
    add(torch.arange(20.0, requires_grad=True), parameter=True)


def options_and_sizes():
    for calls in ([], [{"precision": 8}], [{"profile": "full"}], [{"profile": "short"}],
                  [{"sci_mode": True, "linewidth": 100}], [{"threshold": 5, "edgeitems": 0}],
                  [{"precision": 2}, {"profile": "default"}]):
        for call in calls:
            torch.set_printoptions(**call)
        cases.append({"kind": "options", "options": encode_options(calls),
                      "expected": encode_options([torch._tensor_str.get_printoptions()])[0]})
        torch.set_printoptions(profile="default")
    for shape in ((), (0,), (2, 3), (1, 0, 5), (7,)):
        cases.append({"kind": "size", "shape": list(shape), "expected": repr(torch.Size(shape))})


def main():
    for group in (lecture, floats, nonfinite, small_floats, complexes, integers_and_bools,
                  empties, multidim, wrapping, summaries, options, randoms, suffixes, defaults,
                  parameters, options_and_sizes):
        group()
    OUT.write_text("[\n" + ",\n".join(json.dumps(case) for case in cases) + "\n]\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
