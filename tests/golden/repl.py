"""Run a golden snippet REPL-style and record what a user would see.

Shared by the generator (real PyTorch) and the test (``import engine as torch``): the
statements run, the last expression's ``repr`` is the result, and stdout, warnings and any
exception (type and message) are captured. Addresses (``0x7f...``) and the build path of
PyTorch's "Triggered internally" suffix are normalised away.
"""
import ast
import contextlib
import io
import math
import re
import warnings

import numpy as np

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\.\)")


def normalise(text):
    return _TRIGGERED.sub("", _ADDRESS.sub("0x?", text))


PRELUDE = """
def nf(t):
    node = t.grad_fn if hasattr(t, "grad_fn") else t
    return [(n.name() if n is not None else None, i) for n, i in node.next_functions]
"""


def run(code, torch, raise_errors=False):
    """``{"result", "stdout", "error", "warnings"}`` of running ``code`` with ``torch``;
    ``raise_errors`` lets an error out, with its traceback, instead."""
    tree = ast.parse(code)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    namespace = {"torch": torch, "np": np, "math": math, "__name__": "__golden__"}
    out, result, error = io.StringIO(), None, None
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    exec(PRELUDE, namespace)  # noqa: S102
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            exec(compile(tree, "<golden>", "exec"), namespace)  # noqa: S102 - our own snippets
            if last is not None:
                result = repr(eval(compile(last, "<golden>", "eval"), namespace))  # noqa: S307
        except Exception as e:  # noqa: BLE001 - the error is the recorded outcome
            if raise_errors:
                raise
            error = f"{type(e).__name__}: {e}"
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    return {
        "result": None if result is None else normalise(result),
        "stdout": normalise(out.getvalue()),
        "error": None if error is None else normalise(error),
        "warnings": [f"{w.category.__name__}: {normalise(str(w.message))}" for w in caught],
    }
