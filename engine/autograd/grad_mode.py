"""Grad mode: whether ops record graph nodes. Per thread, as in PyTorch, so a training
thread's ``no_grad`` never leaks into another session's graph.

Inside ``inference_mode`` nothing records, whatever the grad mode, and tensors made there
are inference tensors: they have no version counter (``NO_VERSION`` stands in for one),
cannot be saved for backward, and refuse in-place changes outside inference mode."""
import functools
import threading


class _State(threading.local):
    enabled = True  # whether ops record; every new thread starts with grad mode on
    inference = False  # inside inference_mode
    grad = False  # the grad mode is_grad_enabled reports inside inference_mode


_state = _State()

# Open inference_mode blocks, in any thread: while there are none, the hot paths (making a
# tensor, entering no_grad) need not read the per-thread flags, which cost more.
_inference_blocks = [0]
_inference_lock = threading.Lock()


def is_inference_mode_enabled():
    return bool(_inference_blocks[0]) and _state.inference


def is_grad_enabled():
    return _state.grad if is_inference_mode_enabled() else _state.enabled


INPLACE_ERROR = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.")


class _NoVersion(list):
    """The version counter of inference tensors, which track none: it reads 0, and counting
    an in-place change is refused outside inference mode, before anything is written."""

    def __getitem__(self, i):
        return 0

    def __setitem__(self, i, value):
        refuse_inplace_outside_inference()


NO_VERSION = _NoVersion()


def refuse_inplace_outside_inference():
    if not is_inference_mode_enabled():
        raise RuntimeError(INPLACE_ERROR)


def new_version_counter():
    """The version counter of a tensor made now: none inside inference mode."""
    return NO_VERSION if is_inference_mode_enabled() else [0]


class _GradMode:
    """A context manager that is also a decorator, as PyTorch's grad-mode classes are."""

    enabled = True
    _in_inference = False  # entered inside inference_mode, where only the shown mode changes

    def __enter__(self):
        if _inference_blocks[0] and _state.inference:
            self._in_inference, self._prev = True, _state.grad
            _state.grad = self.enabled
            return
        self._prev = _state.enabled
        _state.enabled = self.enabled

    def __exit__(self, exc_type, exc, traceback):
        if self._in_inference:
            _state.grad = self._prev
        else:
            _state.enabled = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class _BareDecorator(_GradMode):
    """Usable as ``@no_grad()`` and as ``@no_grad``."""

    def __new__(cls, orig_func=None):
        mode = object.__new__(cls)
        return mode if orig_func is None else mode(orig_func)


class no_grad(_BareDecorator):  # noqa: N801 - PyTorch's name
    enabled = False


class enable_grad(_BareDecorator):  # noqa: N801
    enabled = True


class inference_mode:  # noqa: N801
    """``inference_mode(mode=True)``: a context manager and decorator (also bare)."""

    def __new__(cls, mode=True):
        self = object.__new__(cls)
        self.mode = True if callable(mode) else bool(mode)
        return self(mode) if callable(mode) else self  # bare @inference_mode

    def __enter__(self):
        with _inference_lock:
            _inference_blocks[0] += 1
        self._prev = (_state.enabled, _state.inference, _state.grad)
        if self.mode:
            _state.enabled, _state.inference, _state.grad = False, True, False
        else:
            _state.enabled, _state.inference = True, False

    def __exit__(self, exc_type, exc, traceback):
        _state.enabled, _state.inference, _state.grad = self._prev
        with _inference_lock:
            _inference_blocks[0] -= 1
        return False

    def __call__(self, fn):
        if isinstance(fn, bool):
            return inference_mode(fn)
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return fn(*args, **kwargs)
        return wrapper


class set_grad_enabled(_GradMode):  # noqa: N801
    """Takes effect on construction, so it works as a plain call too."""

    def __init__(self, mode):
        self.enabled = bool(mode)
        _GradMode.__enter__(self)

    def __enter__(self):
        pass

    def __call__(self, fn):
        self.__exit__(None, None, None)
        mode = self.enabled

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper
