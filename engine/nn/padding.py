"""The padding layers of ``torch.nn``: each pads the last 1, 2 or 3 dims with
``functional.pad`` in its mode. An int pads every side by that much."""
from engine.nn import functional as F
from engine.nn.module import Module

_REQUIRED = object()


class _Pad(Module):
    mode, dims = None, 0

    def __init__(self, padding):
        super().__init__()
        self.padding = self._sides(padding)

    def _sides(self, padding):
        """The padding of each side: an int pads all ``2 * dims`` sides by that much."""
        return tuple(padding) if isinstance(padding, (tuple, list)) else \
            (padding,) * (2 * self.dims)

    def forward(self, input):  # noqa: A002
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return str(self.padding)


class _ConstantPad(_Pad):
    mode = "constant"

    def __init__(self, padding, value=_REQUIRED):
        if value is _REQUIRED:  # the message names the layer's class, as Python's would
            raise TypeError(f"{type(self).__name__}.__init__() missing 1 required positional "
                            "argument: 'value'")
        Module.__init__(self)
        self.value = value  # set before padding, as PyTorch's
        self.padding = self._sides(padding)

    def forward(self, input):  # noqa: A002
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _ZeroPad(_ConstantPad):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return str(self.padding)


class ReflectionPad1d(_Pad):
    mode, dims = "reflect", 1


class ReflectionPad2d(_Pad):
    mode, dims = "reflect", 2


class ReflectionPad3d(_Pad):
    mode, dims = "reflect", 3


class ReplicationPad1d(_Pad):
    mode, dims = "replicate", 1


class ReplicationPad2d(_Pad):
    mode, dims = "replicate", 2


class ReplicationPad3d(_Pad):
    mode, dims = "replicate", 3


class CircularPad1d(_Pad):
    mode, dims = "circular", 1


class CircularPad2d(_Pad):
    mode, dims = "circular", 2


class CircularPad3d(_Pad):
    mode, dims = "circular", 3


class ConstantPad1d(_ConstantPad):
    dims = 1


class ConstantPad2d(_ConstantPad):
    dims = 2


class ConstantPad3d(_ConstantPad):
    dims = 3


class ZeroPad1d(_ZeroPad):
    dims = 1


class ZeroPad2d(_ZeroPad):
    dims = 2


class ZeroPad3d(_ZeroPad):
    dims = 3
