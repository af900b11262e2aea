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
