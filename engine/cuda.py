"""``torch.cuda``: whether the GPU backend (cupy with a device) is there."""
from engine import backend


def is_available():
    return backend.cuda_available()


def device_count():
    return backend.cupy.cuda.runtime.getDeviceCount() if is_available() else 0


def synchronize():
    if is_available():
        backend.cupy.cuda.Device().synchronize()
