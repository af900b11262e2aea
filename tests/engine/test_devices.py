"""PyTorch's device API. Without cupy or a GPU only the cpu exists and asking for cuda
fails as CPU-only PyTorch fails; with one, tensors, autograd and optimizers run there."""
import numpy as np
import pytest

import engine as torch

GPU = torch.cuda.is_available()
needs_gpu = pytest.mark.skipif(not GPU, reason="needs cupy and an NVIDIA GPU")


def test_device_objects_print_like_pytorch():
    assert repr(torch.device("cuda:0")) == "device(type='cuda', index=0)"
    assert repr(torch.device("cpu")) == "device(type='cpu')"
    assert str(torch.device("cuda")) == "cuda"
    assert torch.ones(2).device == torch.device("cpu")
    with pytest.raises(RuntimeError, match="device type at start of device string: gpu"):
        torch.device("gpu")


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
