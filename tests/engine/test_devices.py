"""PyTorch's device API. Without cupy or a GPU only the cpu exists and asking for cuda
fails as CPU-only PyTorch fails; with one, tensors, autograd and optimizers run there."""
import math
import threading

import numpy as np
import pytest

import engine as torch
from tests.engine.test_gradcheck import RECIPES

GPU = torch.cuda.is_available()
needs_gpu = pytest.mark.skipif(not GPU, reason="needs cupy and an NVIDIA GPU")


def test_device_objects_print_like_pytorch():
    assert repr(torch.device("cuda:0")) == "device(type='cuda', index=0)"
    assert repr(torch.device("cpu")) == "device(type='cpu')"
    assert str(torch.device("cuda")) == "cuda"
    assert torch.ones(2).device == torch.device("cpu")
    with pytest.raises(RuntimeError, match="device type at start of device string: gpu"):
        torch.device("gpu")


def test_the_default_device_is_per_thread_and_checked_where_it_is_used():
    torch.set_default_device("cuda:0")
    try:
        seen = []
        other = threading.Thread(target=lambda: seen.append(torch.get_default_device()))
        other.start()
        other.join()
        assert seen == [torch.device("cpu")]
        if GPU:
            assert torch.zeros(1).device == torch.device("cuda:0")
        else:
            with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
                torch.zeros(1)
        assert torch.from_numpy(np.ones(2)).device == torch.device("cpu")
    finally:
        torch.set_default_device(None)
    assert torch.zeros(1).device == torch.device("cpu")


@pytest.mark.skipif(GPU, reason="checks the behaviour without a GPU")
def test_without_a_gpu_cuda_is_refused_and_nothing_else_changes():
    assert torch.cuda.is_available() is False
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        torch.zeros(2, device="cuda")
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        torch.ones(2).cuda()
    assert torch.ones(2).to("cpu").device.type == "cpu"


@needs_gpu
def test_cuda_tensors_print_compute_and_refuse_numpy():
    x = torch.tensor([1.0, 2.0], device="cuda")
    assert repr(x) == "tensor([1., 2.], device='cuda:0')"
    assert x.device == torch.device("cuda:0")
    with pytest.raises(TypeError, match="Use Tensor.cpu"):
        x.numpy()
    assert (x * 2).cpu().tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x + torch.ones(2)
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        torch.zeros(1, device=f"cuda:{torch.cuda.device_count()}")


@needs_gpu
def test_cuda_autograd_and_optimizer_match_cpu():
    results = []
    for device in ("cpu", "cuda"):
        w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 3.0], device=device))
        opt = torch.optim.Adam([w], lr=0.1)
        for _ in range(5):
            loss = (w ** 2).sum()
            loss.backward()
            opt.step()
            opt.zero_grad()
        assert opt.state[w]["exp_avg"].device.type == device
        results.append(w.detach().cpu().numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


def _on(device, tensors):
    return [x.detach().to(device).requires_grad_(x.requires_grad) for x in tensors]


@needs_gpu
@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_op_gives_the_cpus_values_and_gradients_on_the_gpu(name):
    fn, make = RECIPES[name][:2]
    inputs = make()
    results = []
    for device in ("cpu", "cuda"):
        xs = _on(device, inputs)
        out = fn(*xs)
        assert out.device.type == device
        weights = torch.linspace(0.5, 1.5, out.numel(), dtype=out.dtype,
                                 device=device).reshape(out.shape)
        grads = torch.autograd.grad((out * weights).sum(), xs, allow_unused=True)
        results.append([out.detach().cpu().numpy()] +
                       [None if g is None else g.cpu().numpy() for g in grads])
    for cpu, gpu in zip(*results):
        if cpu is None:
            assert gpu is None
        else:
            np.testing.assert_allclose(gpu, cpu, rtol=1e-10, atol=1e-12)


@needs_gpu
def test_the_lectures_gradient_descent_runs_on_the_gpu_as_on_the_cpu():
    finals = []
    for device in ("cpu", "cuda"):
        x = torch.linspace(-math.pi, math.pi, 50, dtype=torch.float64, device=device)
        X = torch.stack([x ** 0, x, x ** 2, x ** 3], 1)
        y = torch.sin(x)[:, None]
        beta = torch.zeros((4, 1), dtype=torch.float64, device=device, requires_grad=True)
        for _ in range(200):
            loss = (X @ beta - y).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                beta -= 1e-5 * beta.grad
                beta.grad = None
        assert "device='cuda:0'" in repr(loss) or device == "cpu"
        finals.append((loss.item(), beta.detach().cpu().numpy()))
    assert finals[1][0] == pytest.approx(finals[0][0], rel=1e-10)
    np.testing.assert_allclose(finals[1][1], finals[0][1], rtol=1e-10, atol=1e-15)


@needs_gpu
def test_trace_and_the_backward_steps_of_a_gpu_graph_are_plain_host_data():
    import json

    from engine.autograd import iter_backward, trace
    w = torch.tensor([1.0, -2.0], device="cuda", requires_grad=True)
    loss = (w * w).sum()
    json.dumps(trace(loss))
    steps = list(iter_backward(loss))
    assert [type(s.node).__name__ for s in steps] == [
        "SumBackward0", "MulBackward0", "AccumulateGrad"]
    assert w.grad.device.type == "cuda" and w.grad.cpu().tolist() == [2.0, -4.0]
