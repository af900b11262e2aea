"""engine.printing against reprs recorded from real PyTorch (tests/golden/printing.json).

Regenerate the golden file with ``python3 tests/golden/make_printing_golden.py``.
"""
import json
import math
import pathlib
import timeit

import numpy as np
import pytest

from engine import dtypes, printing

GOLDEN = pathlib.Path(__file__).parents[1] / "golden" / "printing.json"
CASES = json.loads(GOLDEN.read_text())


def decode(x):
    if isinstance(x, list):
        return complex(decode(x[0]), decode(x[1]))
    return float(x) if x in ("nan", "inf", "-inf") else x


def decode_options(calls):
    return [{k: decode(v) for k, v in call.items()} for call in calls]


def case_id(case):
    return f"{case['kind']}-{CASES.index(case)}"


@pytest.fixture(autouse=True)
def fresh_options():
    printing.set_printoptions(profile="default")
    dtypes.set_default_dtype(dtypes.float32)
    yield
    printing.set_printoptions(profile="default")
    dtypes.set_default_dtype(dtypes.float32)


def by_kind(kind):
    return [c for c in CASES if c["kind"] == kind]


def test_golden_file_is_big_enough():
    assert len(by_kind("tensor")) + len(by_kind("parameter")) >= 150


@pytest.mark.parametrize("case", by_kind("tensor") + by_kind("parameter"), ids=case_id)
def test_repr_matches_torch(case):
    dtype = getattr(dtypes, case["dtype"])
    values = np.array([decode(v) for v in case["values"]], dtype=np.complex128
                      if dtype.is_complex else np.float64 if dtype.is_floating_point else None)
    values = values.astype(dtype.np).reshape(case["shape"])
    if case["default_dtype"]:
        dtypes.set_default_dtype(getattr(dtypes, case["default_dtype"]))
    for call in decode_options(case["options"]):
        printing.set_printoptions(**call)
    format_ = printing.format_parameter if case["kind"] == "parameter" else printing.format_tensor
    got = format_(values, dtype, device=case["device"], grad_fn_name=case["grad_fn"],
                  requires_grad=case["requires_grad"])
    assert got == case["expected"]


@pytest.mark.parametrize("case", by_kind("options"), ids=case_id)
def test_printoptions_match_torch(case):
    for call in decode_options(case["options"]):
        printing.set_printoptions(**call)
    assert printing.get_printoptions() == decode_options([case["expected"]])[0]


@pytest.mark.parametrize("case", by_kind("size"), ids=case_id)
def test_size_matches_torch(case):
    assert printing.format_size(tuple(case["shape"])) == case["expected"]


def test_default_options_are_restored_by_profile():
    printing.set_printoptions(precision=2, threshold=5, edgeitems=1, linewidth=40,
                              sci_mode=True)
    printing.set_printoptions(profile="default")
    assert printing.get_printoptions() == {"precision": 4, "threshold": 1000, "edgeitems": 3,
                                           "linewidth": 80, "sci_mode": None}
    printing.set_printoptions(profile="full")
    assert printing.get_printoptions()["threshold"] == math.inf


def test_small_tensor_prints_fast():
    values = np.array([1.5, -2.25, 3.0, 0.125], dtype=np.float32)
    seconds = min(timeit.repeat(lambda: printing.format_tensor(values, dtypes.float32),
                                number=200, repeat=5)) / 200
    assert seconds < 100e-6
