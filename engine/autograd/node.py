"""Graph nodes: PyTorch's ``grad_fn`` objects.

Every differentiable op is a ``Function`` subclass named after PyTorch's node
(``AddBackward0``): ``forward`` computes the result's array from the inputs and saves what
backward needs with ``ctx.save``; ``backward`` returns one gradient per input, built with
engine ops so that gradients are themselves differentiable (``create_graph=True``). A class
with ``array_backward = True`` writes its formula with operators and ``engine.ops.formula``
only, so that without ``create_graph`` the same formula runs on plain arrays, much faster.
``Function.apply`` is the one place graph nodes are made.
"""
import itertools
import re
import weakref

from engine.autograd.grad_mode import NO_VERSION
from engine.autograd.grad_mode import _state as _grad_mode

_next_seq = itertools.count().__next__  # the order nodes are made in

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")

INFERENCE_SAVED_ERROR = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")

_FREED = object()
"""What a saved tensor becomes once backward has freed it."""


class Output:
    """Pass ``Output(nr)`` to ``ctx.save`` to save the op's own output number ``nr``
    (PyTorch's ``_saved_result``, ``_saved_Q``...), saved once the output exists."""

    __slots__ = ("nr",)

    def __init__(self, nr):
        self.nr = nr


OUTPUT = Output(0)  # the result of an op with one output


Tensor = _make = None  # engine.tensor sets these (Tensor, Tensor._make) once the class exists


class SavedTensor:
    """A tensor saved for backward, with its version counter and the version it had then.

    The op's own output is kept as its array only (no reference to the output tensor, which
    would hold its own grad_fn in a cycle) and rebuilt on unpacking, as PyTorch does.
    """

    __slots__ = ("counter", "output_data", "output_nr", "tensor", "version")

    def __init__(self, tensor, output=False):
        counter = self.counter = tensor._version_counter
        if counter is NO_VERSION:
            raise RuntimeError(INFERENCE_SAVED_ERROR)
        self.version = counter[0]
        if output:
            self.tensor, self.output_data = None, tensor._data
            self.output_nr = tensor._output_nr
        else:
            self.tensor = tensor

    def unpack(self, node, as_array=False):
        if self.counter[0] != self.version:
            raise self._modified(node)
        tensor = self.tensor
        if tensor is not None:
            return tensor._data if as_array else tensor
        if as_array:
            return self.output_data
        tensor = Tensor._make(self.output_data, node)
        tensor._version_counter, tensor._output_nr = self.counter, self.output_nr
        return tensor

    def _modified(self, node):
        tensor = self.tensor
        if tensor is None:
            producer, data, nr = node, self.output_data, self.output_nr
        else:
            producer, data, nr = tensor.grad_fn, tensor._data, tensor._output_nr
        return _modified_error(Tensor._make(data), self.counter[0], self.version, producer, nr)


class SavedTensorList(tuple):
    """Tensors saved as one value (``index_put``'s indices), shown as a tuple and freed with
    the saved tensors."""

    __slots__ = ()


class SavedScalar:
    """A Python number given where PyTorch takes a tensor (``3 * x``). PyTorch saves it as a
    0-dim tensor: it shows as one, and backward frees it with the saved tensors (the op
    that saves one sets its node's ``_holds_saved``)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def unpack(self, node, as_array=False):
        return self.value


class _GivenInt(int):
    """An int an op computes with that its saved value shows as the one the op was given:
    ``x.sum(-1)`` reduces dim 1 and, as in PyTorch, saves dim -1."""


class _GivenTuple(tuple):
    """A tuple of ints an op computes with (dims put in order) that its saved value shows as
    the one the op was given."""


def as_given(value, given):
    """``value``, which ops and backward use as it is, shown as ``given`` where it is saved."""
    if value == given:
        return value
    shown = (_GivenTuple if isinstance(value, tuple) else _GivenInt)(value)
    shown.given = given
    return shown


# Saved arguments that are 64-bit ints in PyTorch, which shows a negative one as unsigned
# (dim -1 as 2**64 - 1); the numbers ops take for tensors (alpha, exponent) keep their sign.
_SHOWN_UNSIGNED = frozenset(("dim", "dims", "dim0", "dim1", "dim2", "dimension", "index",
                             "start", "end", "offset", "diagonal", "ignore_index", "shifts",
                             "pad"))


def shown_as_pytorch(key, value):
    """A saved value that is no tensor, as PyTorch shows it under ``_saved_<key>``."""
    value = getattr(value, "given", value)
    if isinstance(value, tuple):
        value = tuple(getattr(v, "given", v) for v in value)
    if key not in _SHOWN_UNSIGNED:
        return value
    if type(value) is int:
        return value % 2 ** 64
    if type(value) is tuple and all(type(v) is int for v in value):
        return tuple(v % 2 ** 64 for v in value)
    return value


_PLAIN = frozenset((int, float, bool, tuple, type(None)))  # saved as they are
_UNPACKED = frozenset((SavedTensor, SavedScalar))  # saved values that ``unpack`` turns back
_FREED_ON_RELEASE = _UNPACKED | {SavedTensorList}


def _modified_error(tensor, version, expected, producer, output_nr=0):
    where = f", which is output {output_nr} of {_forward_name(producer)}," \
        if producer is not None else ""
    dims = ", ".join(str(s) for s in tensor.shape)
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [torch.{tensor.dtype.tensor_type} [{dims}]]{where} is at "
        f"version {version}; expected version {expected} instead. Hint: enable "
        "anomaly detection to find the operation that failed to compute its gradient, "
        "with torch.autograd.set_detect_anomaly(True, check_nan=False).")


def _forward_name(node):
    """``ExpBackward0`` -> ``Exp``: how PyTorch names the op that produced a tensor."""
    return re.sub(r"Backward\d*$", "", node.name())


class Node:
    """A node of the backward graph."""

    _for_backward = None  # the values saved for backward, by name
    _freed = False
    _seq = None  # the node's creation number; None for an op run outside a graph
    # the non-leaf outputs whose .grad is kept (retain_grad): weakrefs by output number
    _retained = None
    _result = None  # the output's array, whose value trace shows
    _input_meta = ()  # (index, shape, dtype) of each input that takes a gradient
    _holds_saved = False  # whether a tensor (or a number for one) was saved, to free
    _pre_hooks = _post_hooks = ()
    _watched = False  # whether hooks or retain_grad watch the node: only then backward looks
    _n_outputs = 1  # the op's outputs: several for split, unbind, var_mean...
    _ready_rank = 0  # backward runs ready nodes of lower rank first, then the newest
    _saves_output = None  # ((key, output number), ...) for each Output given to ``save``
    # Whether the backward formula also runs on plain arrays (see engine.ops.formula), and
    # whether its latest run does: ``unpack`` then gives saved tensors as arrays.
    array_backward = False
    _on_arrays = False

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {id(self):#x}>"

    @property
    def metadata(self):
        meta = self.__dict__.get("_metadata")
        if meta is None:
            meta = self.__dict__["_metadata"] = {}
        return meta

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` after the node runs; may return new grad_inputs."""
        self._post_hooks = list(self._post_hooks) + [fn]
        self._watched = True
        return RemovableHandle(self, "_post_hooks", fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` before the node runs; may return new grad_outputs."""
        self._pre_hooks = list(self._pre_hooks) + [fn]
        self._watched = True
        return RemovableHandle(self, "_pre_hooks", fn)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._exposed_saves = set()

    @classmethod
    def _expose_saved(cls, key):
        """Give the class a ``_saved_<key>`` property, as PyTorch's nodes have, once one of
        its nodes saves ``key`` (a ``__getattr__`` would slow every attribute read)."""
        def get(node):
            if key not in (node._for_backward or ()):
                raise AttributeError(f"'{type(node).__name__}' object has no attribute "
                                     f"'_saved_{key}'")
            return node._shown_saved(key)
        setattr(cls, "_saved_" + key, property(get))
        cls._exposed_saves.add(key)

    @property
    def recording(self):
        """Whether the op runs in a graph, so that its forward has anything to save for."""
        return self._seq is not None

    def needs_grad(self, i):
        """Whether input ``i`` takes a gradient: its ``next_functions`` slot has a node."""
        return self.next_functions[i][0] is not None

    # -- saved values -------------------------------------------------------------------
    def save(self, /, **values):
        """Save values for backward, visible as ``_saved_<name>`` like PyTorch's."""
        if self._seq is None:  # not in a graph: nothing to save for
            return
        exposed = type(self)._exposed_saves
        for key in values:  # not values.items(), which costs twice as much
            if key not in exposed:
                type(self)._expose_saved(key)
            value = values[key]
            if type(value) in _PLAIN:  # most saved values: checked first, as cheaply as can be
                continue
            if isinstance(value, Tensor):
                values[key] = SavedTensor(value)
                self._holds_saved = True
            elif type(value) is Output:  # saved as the output's array once there is one
                self._saves_output = (self._saves_output or ()) + ((key, value.nr),)
                self._holds_saved = True
            elif type(value) is SavedTensorList:
                self._holds_saved = True
        if self._for_backward is None:
            self._for_backward = values
        else:
            self._for_backward.update(values)

    def unpack(self, *names):
        """The saved values, checked against in-place changes since they were saved."""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        saved, as_arrays = self._for_backward, self._on_arrays
        if len(names) == 1:
            value = saved[names[0]]
            return value.unpack(self, as_arrays) if type(value) in _UNPACKED else value
        out = []
        for key in names:
            value = saved[key]
            out.append(value.unpack(self, as_arrays) if type(value) in _UNPACKED else value)
        return tuple(out)

    def _shown_saved(self, key):
        """``_saved_<key>`` as PyTorch shows it: a number saved for a tensor argument comes
        back as a 0-dim tensor."""
        value = self._for_backward[key]
        if value is _FREED:
            raise RuntimeError(FREED_MESSAGE)
        if type(value) is SavedScalar:
            from engine.ops.creation import tensor
            return tensor(value.value)
        if type(value) is SavedTensor:
            return value.unpack(self)
        return shown_as_pytorch(key, value)

    def saved_names(self):
        return tuple(self._for_backward or ())

    def _release(self):
        """Free saved tensors after a backward pass without ``retain_graph``."""
        saved = self._for_backward
        for key in saved:
            if type(saved[key]) in _FREED_ON_RELEASE:
                saved[key] = _FREED  # replacing values while iterating is safe
        self._freed = True
        self._holds_saved = False


class RemovableHandle:
    def __init__(self, node, attr, fn):
        self._node, self._attr, self._fn = node, attr, fn

    def remove(self):
        hooks = getattr(self._node, self._attr)
        setattr(self._node, self._attr, tuple(h for h in hooks if h is not self._fn))


class AccumulateGrad(Node):
    """The node that writes a leaf's ``.grad``; one per leaf, shared by all its graphs."""

    def __init__(self, variable):
        self.next_functions = ()
        self._seq = _next_seq()
        self.variable = variable

    _ready_rank = -1  # leaves' accumulators run as soon as they are ready

    def name(self):
        return "torch::autograd::AccumulateGrad"


def accumulator_of(tensor):
    """The leaf's AccumulateGrad, created on first use and shared while any graph holds it."""
    acc = tensor._accumulator() if tensor._accumulator is not None else None
    if acc is None:
        if tensor._base is not None and "_made_in_no_grad" in tensor.__dict__:
            return None  # a view made under no_grad has none, as in PyTorch: no .grad reached
        acc = AccumulateGrad(tensor)
        tensor._accumulator = weakref.ref(acc)
    return acc


_NO_EDGE = (None, 0)


class OutputGrads:
    """The gradients flowing into a node with several outputs, one per output (None where
    none arrived). A gradient for output 0 alone flows as itself; adding merges."""

    __slots__ = ("parts",)
    __array_ufunc__ = None  # numpy leaves ``array + grads`` to ``__radd__``

    def __init__(self, parts):
        self.parts = parts

    @classmethod
    def at(cls, nr, grad):
        return cls([None] * nr + [grad])

    @staticmethod
    def parts_of(grad, n):
        """The gradient of each of ``n`` outputs, from an ``OutputGrads`` or a gradient of
        output 0 alone."""
        parts = list(grad.parts) if type(grad) is OutputGrads else [grad]
        return parts + [None] * (n - len(parts))

    def __add__(self, other):
        n = max(len(self.parts), len(other.parts) if type(other) is OutputGrads else 1)
        return OutputGrads([a if b is None else b if a is None else a + b for a, b in zip(
            OutputGrads.parts_of(self, n), OutputGrads.parts_of(other, n))])

    __radd__ = __add__


def outputs(arrays, node):
    """The tensors of an op with several outputs (``split``, ``unbind``), whose forward
    returns a tuple of arrays: one node for all, each output knowing its number."""
    results = []
    for i, array in enumerate(arrays):
        t = _make(array, node)
        t._output_nr = i
        results.append(t)
    if node is not None:
        node._n_outputs = len(arrays)
    return tuple(results)


class Function(Node):
    """Base class of the differentiable ops (see the module docstring).

    An op with several outputs returns a tuple of arrays from ``forward``; its backward
    takes the gradients of all outputs as one ``OutputGrads``.
    """

    @staticmethod
    def forward(ctx, *inputs, **params):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op; under grad mode with an input that requires grad, record the node:
        forward saves for backward, and the node is linked to its inputs' nodes and becomes
        the result's ``grad_fn``.

        Positional inputs (tensors, or Python numbers standing in for tensors) each get a
        ``next_functions`` slot; keyword params are the op's non-tensor arguments.
        """
        node = cls()
        recording = False
        if _grad_mode.enabled:
            edges, meta = [], []
            for x in inputs:
                if isinstance(x, Tensor) and x._requires_grad:
                    meta.append((len(edges), x._data.shape, x.dtype))
                    node_of_x = x.grad_fn
                    edges.append((node_of_x, x._output_nr) if node_of_x is not None else
                                 (accumulator_of(x), 0))
                else:
                    edges.append(_NO_EDGE)
            if meta:
                recording = True
                node._seq = _next_seq()
        # called without unpacking the arguments where it can be: a call that unpacks them
        # costs several times more
        if params:
            out = cls.forward(node, *inputs, **params)
        elif len(inputs) == 2:
            out = cls.forward(node, inputs[0], inputs[1])
        elif len(inputs) == 1:
            out = cls.forward(node, inputs[0])
        else:
            out = cls.forward(node, *inputs)
        if not recording:
            return _make(out)
        node.next_functions = tuple(edges)
        node._input_meta = meta
        node._result = out  # what trace shows of the node
        result = _make(out, node)
        if node._saves_output is not None:
            results = result if type(result) is tuple else (result,)
            for key, nr in node._saves_output:
                node._for_backward[key] = SavedTensor(results[nr], output=True)
        return result
