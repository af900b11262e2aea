"""Shared fixtures: ``backend`` runs a test on the CPU and, where there is one, the GPU."""
import pytest

import engine


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=pytest.mark.skipif(
    not engine.cuda.is_available(), reason="needs an NVIDIA GPU with cupy"))])
def backend(request):
    """The device name a test runs on: ``"cpu"``, or ``"cuda"`` when available."""
    return request.param
