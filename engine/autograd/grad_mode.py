"""Grad mode: whether ops record graph nodes. Per thread, as in PyTorch, so a training
thread's ``no_grad`` never leaks into another session's graph."""
import functools
import threading

class _State(threading.local):
    enabled = True  # every new thread starts with grad mode on


_state = _State()


def is_grad_enabled():
    return _state.enabled


def _set(enabled):
    _state.enabled = enabled


class _GradMode:
    """A context manager that is also a decorator, as PyTorch's grad-mode classes are."""

    enabled = True

    def __enter__(self):
        self._prev = _state.enabled
        _state.enabled = self.enabled

    def __exit__(self, exc_type, exc, traceback):
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


class inference_mode(_GradMode):  # noqa: N801
    def __new__(cls, mode=True):
        self = super().__new__(cls)
        self.enabled = False if callable(mode) else not mode
        return self(mode) if callable(mode) else self  # bare @inference_mode

    def __init__(self, mode=True):
        pass

    def __call__(self, fn):
        if isinstance(fn, bool):
            return inference_mode(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(not self.enabled):
                return fn(*args, **kwargs)
        return wrapper


class set_grad_enabled(_GradMode):  # noqa: N801
    """Takes effect on construction, so it works as a plain call too."""

    def __init__(self, mode):
        self._prev = is_grad_enabled()
        self.enabled = bool(mode)
        _set(self.enabled)

    def __enter__(self):
        pass

    def __call__(self, fn):
        _set(self._prev)
        mode = self.enabled

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper
