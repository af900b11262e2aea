"""PyTorch's tensor repr, reproduced character for character from numpy data.

The rules follow torch 2.13's ``torch/_tensor_str.py``: one formatter per tensor (two for
complex: real and imaginary parts) picks fixed or scientific notation and a width shared by
every element, computed only over the elements that are shown when the tensor is summarised.
"""
import math

import numpy as np

from . import dtypes

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}
_opts = {**_PROFILES["default"], "sci_mode": None}

_PREFIX = "tensor("


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Set print options as ``torch.set_printoptions``; ``sci_mode`` is always reset."""
    if profile is not None:
        _opts.update(_PROFILES.get(profile, {}))  # torch ignores unknown profiles
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            _opts[name] = value
    _opts["sci_mode"] = sci_mode


def get_printoptions():
    return dict(_opts)


def format_size(shape):
    return f"torch.Size([{', '.join(str(int(n)) for n in shape)}])"


def format_parameter(values, dtype, *, device=None, grad_fn_name=None, requires_grad=True):
    """``repr(nn.Parameter(...))``; a Parameter requires grad unless told otherwise."""
    return "Parameter containing:\n" + format_tensor(
        values, dtype, device=device, grad_fn_name=grad_fn_name, requires_grad=requires_grad)


def format_tensor(values, dtype, *, device=None, grad_fn_name=None, requires_grad=False):
    """``repr(tensor)`` for a tensor holding ``values`` (a host numpy array) of ``dtype``."""
    values = np.asarray(values)
    default = dtypes.get_default_dtype()
    suffixes = []
    if device is not None and device != "cpu":
        suffixes.append(f"device='{device}'")
    if values.size == 0:
        # Nothing to infer the dtype from, so only the default float dtype goes unnamed.
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype is not default:
            suffixes.append(f"dtype={dtype!r}")
        body = "[]"
    else:
        if not _opts["edgeitems"]:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype not in (default, default.to_complex(), dtypes.int64, dtypes.bool):
            suffixes.append(f"dtype={dtype!r}")
        body = _tensor_body(values, dtype, len(_PREFIX))
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(_PREFIX + body, suffixes, len(_PREFIX))


def _add_suffixes(text, suffixes, indent):
    parts = [text]
    # torch's off-by-two (rfind is -1 without a newline) decides where suffixes wrap
    line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > _opts["linewidth"]:
            parts.append(",\n" + " " * indent + suffix)
            line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


class _Formatter:
    """Notation and common width for a list of real (or integer, or bool) Python values."""

    def __init__(self, values, floating):
        self.width = 1
        self.spec = ""  # integers and bools print as str() does
        self.integral_floats = False  # floats that print as "3." in fixed notation
        if not floating:
            if values:
                self.width = max(len(str(max(values))), len(str(min(values))))
            return

        precision = _opts["precision"]
        shown = [v for v in values if v != 0 and math.isfinite(v)]
        if not shown:
            self.spec, self.integral_floats = ".0f", True
            return
        magnitudes = [abs(v) for v in shown]
        smallest, largest = min(magnitudes), max(magnitudes)
        sci = _opts["sci_mode"]
        if sci is None:
            sci = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
        if sci:
            self.width = max(len(format(v, f".{precision}e")) for v in shown)
            self.spec = f"{self.width}.{precision}e"
        elif all(v.is_integer() for v in shown):
            self.width = max(len(f"{v:.0f}") for v in shown) + 1
            self.spec, self.integral_floats = ".0f", True
        else:
            self.spec = f".{precision}f"
            self.width = max(len(format(v, self.spec)) for v in shown)

    def format(self, value):
        text = format(value, self.spec)
        if self.integral_floats and math.isfinite(value):
            text += "."
        return text.rjust(self.width)


def _summarized(values, edgeitems):
    """The elements a summarised print shows, as torch's ``get_summarized_data``."""
    if values.ndim == 0:
        return values
    if not edgeitems:
        # torch keeps a whole vector here (``x[-0:]``) but drops every element of a matrix
        return values if values.ndim == 1 else values[(slice(0, 0),) * values.ndim]
    for axis, n in enumerate(values.shape):
        if n > 2 * edgeitems:
            keep = np.r_[0:edgeitems, n - edgeitems:n]
            values = values.take(keep, axis=axis)
    return values


def _tensor_body(values, dtype, indent):
    summarize = values.size > _opts["threshold"]
    # Summarised, only the shown elements are formatted; ``_nested_str`` places the "..."
    shown = _summarized(values, _opts["edgeitems"]) if summarize else values

    if dtype.is_complex:
        shown = shown.astype(np.complex128)
        flat = shown.ravel()
        real = _Formatter(flat.real.tolist(), True)
        imag = _Formatter(flat.imag.tolist(), True)
        width = real.width + 2 + imag.width + 1

        def format_element(z):
            imag_text = (imag.format(z.imag) + "j").lstrip()
            sign = "" if imag_text[0] in "+-" else "+"
            return real.format(z.real) + sign + imag_text
    else:
        floating = dtype.is_floating_point
        if floating:
            shown = shown.astype(np.float64)
        formatter = _Formatter(shown.ravel().tolist(), floating)
        format_element = formatter.format
        width = formatter.width + 2

    items = shown.tolist()
    if values.ndim == 0:
        return format_element(items)
    return _nested_str(items, values.shape, indent, summarize, format_element, width)


def _nested_str(items, shape, indent, summarize, format_element, element_width):
    """Render nested lists of the shown elements; ``shape`` is the full tensor's."""
    edge = _opts["edgeitems"]
    cut = summarize and shape[0] > 2 * edge
    if len(shape) == 1:
        if summarize and not edge:
            texts = ["..."]
        elif cut:
            texts = ([format_element(v) for v in items[:edge]] + [" ..."]
                     + [format_element(v) for v in items[-edge:]])
        else:
            texts = [format_element(v) for v in items]
        per_line = max(1, math.floor((_opts["linewidth"] - indent) / element_width))
        lines = [", ".join(texts[i:i + per_line]) for i in range(0, len(texts), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    def block(row):
        return _nested_str(row, shape[1:], indent + 1, summarize, format_element, element_width)

    if cut:
        blocks = ([block(row) for row in items[:edge]] + ["..."]
                  + [block(row) for row in items[len(items) - edge:]])
    else:
        blocks = [block(row) for row in items]
    return "[" + ("," + "\n" * (len(shape) - 1) + " " * (indent + 1)).join(blocks) + "]"
