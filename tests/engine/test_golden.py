"""The engine against real PyTorch: each snippet of tests/golden/engine_cases.py, run with
``import engine as torch``, shows what PyTorch 2.13 showed (tests/golden/engine.json):
the last expression's repr, stdout, warnings, and the error type and message.

Regenerate the golden file with ``python3 tests/golden/make_engine_golden.py``.
"""
import json
import pathlib

import pytest

import engine
from tests.golden import engine_cases, repl

# Known differences, each a strict xfail so that fixing one is noticed.
KNOWN = {
    "lecture-0": "float64 sums differ from PyTorch's in the last bit (summation order)",
    "lecture-1": "float64 sums differ from PyTorch's in the last bit (summation order)",
    "inference tensors-12": "PyTorch writes into an inference tensor before it refuses the "
                            "in-place change; the engine refuses first and loses nothing",
}
GOLDEN = json.loads((pathlib.Path(__file__).parents[1] / "golden" / "engine.json").read_text())
CASES = GOLDEN["cases"]


def test_golden_file_matches_the_cases():
    assert [c["id"] for c in CASES] == [i for i, _ in engine_cases.CASES], \
        "engine.json is stale: run tests/golden/make_engine_golden.py"
    assert [c["code"] for c in CASES] == [code for _, code in engine_cases.CASES]
    assert len(CASES) >= 300


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN[c["id"]], strict=True))
    if c["id"] in KNOWN else c for c in CASES], ids=[c["id"] for c in CASES])
def test_snippet_shows_what_pytorch_shows(case):
    got = repl.run(case["code"], engine)
    expected = {k: case[k] for k in ("result", "stdout", "error", "warnings")}
    assert got == expected, case["code"]


# Snippets whose GPU run rightly differs from their CPU run, as PyTorch's does.
KNOWN_ON_THE_GPU = {
    "lecture-0": "float64 sums on the GPU add in another order, as PyTorch's do",
    "lecture-1": "float64 sums on the GPU add in another order, as PyTorch's do",
    "default device-3": "as_tensor copies a numpy array to the GPU, as PyTorch does",
    "shapes-and-gathering-59": "of the values scatter sends to one place, which one stays is "
                               "not defined, and the GPU keeps another",
}


def _as_if_on_the_cpu(shown):
    """What a snippet run on the GPU showed, naming the device as a run on the cpu does; a
    repr wrapped at another place (the device takes room) reads the same."""
    def plain(text):
        if text is None:
            return None
        text = " ".join(text.split()).replace(", device='cuda:0'", "").replace(" (cuda:0)", "")
        return text.replace("device(type='cuda', index=0)", "device(type='cpu')").replace(
            "torch.cuda.", "torch.")
    return {k: [plain(w) for w in v] if k == "warnings" else plain(v) for k, v in shown.items()}


def _on_the_gpu(code, raise_errors=False):
    engine.set_default_device("cuda")
    try:
        return repl.run(code, engine, raise_errors)
    finally:
        engine.set_default_device(None)


@pytest.mark.cuda
@pytest.mark.skipif(not engine.cuda.is_available(), reason="needs an NVIDIA GPU with cupy")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_snippet_shows_on_the_gpu_what_it_shows_on_the_cpu(case):
    if ".numpy()" in case["code"]:
        pytest.skip("PyTorch refuses to read a GPU tensor into numpy")
    if case["id"] in KNOWN_ON_THE_GPU:
        pytest.skip(KNOWN_ON_THE_GPU[case["id"]])
    on_the_cpu = _as_if_on_the_cpu(repl.run(case["code"], engine))
    on_the_gpu = _as_if_on_the_cpu(_on_the_gpu(case["code"]))
    if on_the_gpu["error"] != on_the_cpu["error"] and on_the_gpu["error"]:
        _on_the_gpu(case["code"], raise_errors=True)  # fails here, showing where
    assert on_the_gpu == on_the_cpu, case["code"]
