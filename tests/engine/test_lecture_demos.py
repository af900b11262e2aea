"""The lecture's two demos, run with the engine: gradient descent by hand (Demo 1) and an
``nn.Module`` with ``optim.SGD`` (Demo 2). Expected numbers come from PyTorch 2.13."""
import math

import numpy as np
import pytest

import engine as torch

# Demo 1 with bt starting at [[0.1], [0.2], [0.3], [0.4]]: PyTorch 2.13 printed these losses.
DEMO1_LOSSES = {0: 1371.909335113271, 1000: 4.878626533435903, 2000: 1.8384301312588671,
                3000: 0.7976222525141929, 4000: 0.44122232303801856}
DEMO1_BETA = [0.00562655, 0.79962563, -0.00093250, -0.08462967]


def test_demo1_gradient_descent_by_hand():
    x = np.linspace(-math.pi, math.pi, 50)
    yt = torch.tensor(np.sin(x)).unsqueeze(1)
    Xt = torch.tensor(np.stack([np.ones_like(x), x, x ** 2, x ** 3], 1))
    bt = torch.tensor([[0.1], [0.2], [0.3], [0.4]], dtype=torch.float64, requires_grad=True)
    losses = {}
    for i in range(5000):
        loss = (Xt @ bt - yt).pow(2).sum()
        if i % 1000 == 0:
            losses[i] = loss.item()
        loss.backward()
        with torch.no_grad():
            bt -= 1e-5 * bt.grad
            bt.grad = None
    assert losses == pytest.approx(DEMO1_LOSSES, rel=1e-12)
    assert bt.detach().numpy().ravel() == pytest.approx(DEMO1_BETA, abs=5e-9)
    assert repr(bt).endswith("dtype=torch.float64, requires_grad=True)")


class Model(torch.nn.Module):
    def __init__(self, beta):
        super().__init__()
        beta.requires_grad = True
        self.beta = torch.nn.Parameter(beta)

    def forward(self, X):
        return X @ self.beta


def test_demo2_module_and_sgd_reach_the_lectures_coefficients():
    x = torch.linspace(-math.pi, math.pi, 200)
    y = torch.sin(x)
    X = torch.vstack((torch.ones_like(x), x, x ** 2, x ** 3)).T
    m = Model(beta=torch.zeros(4))
    opt = torch.optim.SGD(m.parameters(), lr=1e-5)
    for _ in range(3000):
        loss = (m(X).squeeze() - y.squeeze()).pow(2).sum()
        loss.backward()
        opt.step()
        opt.zero_grad()
    beta = m.beta.detach().numpy()
    # The lecture shows 8.52953434e-01 and -9.25917700e-02; the even ones are ~0.
    assert beta[1] == pytest.approx(0.852953434, rel=1e-5)
    assert beta[3] == pytest.approx(-0.0925917700, rel=1e-5)
    assert abs(beta[0]) < 1e-6 and abs(beta[2]) < 1e-6
    assert repr(m.beta).startswith("Parameter containing:\ntensor([")


class AllInOneModel(torch.nn.Module):
    """The lecture's second model class, unchanged: data, parameters and ``fit`` together."""

    def __init__(self, X, y, beta=None):
        super().__init__()
        self.X = X
        self.y = y
        if beta is None:
            beta = torch.zeros(X.shape[1])
        beta.requires_grad = True
        self.beta = torch.nn.Parameter(beta)

    def forward(self, X):
        return X @ self.beta

    def fit(self, opt, n=1000, loss_fn=torch.nn.MSELoss()):
        losses = []
        for i in range(n):
            loss = loss_fn(self(self.X).squeeze(), self.y.squeeze())
            loss.backward()
            opt.step()
            opt.zero_grad()
            losses.append(loss.item())
        return losses


@pytest.mark.parametrize("make_opt", [
    lambda p: torch.optim.SGD(p, lr=1e-4),
    lambda p: torch.optim.SGD(p, lr=1e-4, momentum=0.9),
    lambda p: torch.optim.Adam(p, lr=1e-4),
    lambda p: torch.optim.Adagrad(p, lr=1e-4),
], ids=["sgd", "momentum", "adam", "adagrad"])
def test_all_in_one_model_fits_with_each_optimizer_of_the_figures(make_opt):
    x = torch.linspace(-math.pi, math.pi, 200)
    y = torch.sin(x)
    X = torch.vstack((torch.ones_like(x), x, x ** 2, x ** 3)).T
    m = AllInOneModel(X, y)
    losses = m.fit(make_opt(m.parameters()), n=300)
    assert len(losses) == 300 and all(isinstance(v, float) for v in losses)
    assert losses[-1] < losses[0]
