"""The training lab's problem: the lecture's regression (y = sin(x) with features 1, x, x²,
x³, or a small MLP), its least-squares reference, the run settings and their validation."""
import dataclasses
import functools
import math

import numpy as np

import engine as torch

OPTIMIZERS = ("SGD", "Adam", "Adagrad", "RMSprop")
MAX_RUNS = 12
DIVERGE_FACTOR = 1e6
WATCH_FACTOR = 1e3
POINTS_PER_CURVE = 1000      # parameter snapshots kept per run (for fit/trajectory views)
PLATEAU_WINDOW = 1000        # no improvement over this many steps counts as converged
MAX_STEPS = 100_000
MODELS = {"cubic: X @ beta": "cubic", "MLP: 1 hidden layer of 16 tanh": "mlp"}
MLP_HIDDEN = 16
FLOAT32_MAX = float(np.finfo(np.float32).max)
TERMINAL = ("converged", "finished", "diverged", "errored", "stopped")


def fmt(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


# ---- validation: every setting passes here before it reaches an optimizer ---------------
def check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        return f"learning rate {lr!r} is not a number"
    if math.isnan(lr) or math.isinf(lr):
        return f"learning rate {lr} is not a finite number"
    if lr == 0:
        return "learning rate 0 never changes the parameters: nothing would train"
    if lr < 0:
        return f"learning rate {fmt(float(lr))} is negative: that climbs the loss instead of descending"
    if lr > FLOAT32_MAX:
        return f"learning rate {fmt(float(lr))} does not fit in the float32 parameters it multiplies"
    return None


def check_momentum(momentum):
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or math.isnan(momentum):
        return f"momentum {momentum!r} is not a number"
    if not 0 <= momentum < 1:
        return f"momentum {momentum} is outside [0, 1): at 1 or more the velocity never decays"
    return None


def check_steps(steps):
    if isinstance(steps, bool) or not isinstance(steps, int):
        return f"steps {steps!r} is not a whole number"
    if not 1 <= steps <= MAX_STEPS:
        return f"steps must be between 1 and {MAX_STEPS:,}, not {steps:,}"
    return None


def check_config(cfg):
    if cfg.optimizer not in OPTIMIZERS:
        return f"unknown optimizer {cfg.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}"
    if cfg.model not in MODELS.values():
        return f"unknown model {cfg.model!r}"
    if cfg.n_points not in (50, 200) or cfg.reduction not in ("sum", "mean"):
        return "the data has 50 or 200 points and the loss is reduced by 'sum' or 'mean'"
    if isinstance(cfg.seed, bool) or not isinstance(cfg.seed, int) or not 0 <= cfg.seed < 2**32:
        return f"seed {cfg.seed!r} must be a whole number in [0, 2**32)"
    error = check_lr(cfg.lr) or check_momentum(cfg.momentum) or check_steps(cfg.steps)
    if error is None and cfg.nesterov and cfg.optimizer == "SGD" and cfg.momentum == 0:
        error = "nesterov needs a momentum above 0"
    return error


# ---- the lecture's problem ---------------------------------------------------------------
class CubicModel(torch.nn.Module):
    """The lecture's Demo 2 model: y_hat = X @ beta."""

    def __init__(self, beta):
        super().__init__()
        self.beta = torch.nn.Parameter(beta)

    def forward(self, X):
        return X @ self.beta


class Problem:
    """y = sin(x) on [-pi, pi]: engine tensors to train on, float64 numpy copies for the
    least-squares reference and for drawing loss surfaces."""

    def __init__(self, model, n_points, reduction):
        self.kind, self.n_points, self.reduction = model, n_points, reduction
        x = torch.linspace(-math.pi, math.pi, n_points)
        self.targets = torch.sin(x)
        if model == "cubic":
            self.inputs = torch.vstack((torch.ones_like(x), x, x**2, x**3)).T
        else:
            self.inputs = torch.vstack((x,)).T
        self.x = np.linspace(-math.pi, math.pi, n_points)
        self.y = np.sin(self.x)
        features = np.vander(self.x, 4, increasing=True)
        self.least_squares_beta = np.linalg.lstsq(features, self.y, rcond=None)[0]
        self.least_squares_prediction = features @ self.least_squares_beta
        self.least_squares_loss = None
        self.lambda_max = None
        if model == "cubic":
            self.least_squares_loss = float(self._reduce((self.least_squares_prediction - self.y) ** 2))
            scale = 2.0 if reduction == "sum" else 2.0 / n_points
            self.lambda_max = float(np.linalg.eigvalsh(scale * features.T @ features)[-1])
        self._features = features
        self.param_names, self.shapes = [], []

    def make_model(self, seed):
        torch.manual_seed(seed)
        if self.kind == "cubic":
            model = CubicModel(torch.zeros(4))
            self.param_names = ["β0 (1)", "β1 (x)", "β2 (x²)", "β3 (x³)"]
        else:
            model = torch.nn.Sequential(torch.nn.Linear(1, MLP_HIDDEN), torch.nn.Tanh(),
                                        torch.nn.Linear(MLP_HIDDEN, 1))
            self.param_names = [f"{name}[{i}]" for name, p in model.named_parameters()
                                for i in range(int(np.prod(p.shape)))]
        self.shapes = [tuple(p.shape) for p in model.parameters()]
        return model

    @staticmethod
    def flatten(tensors):
        return np.concatenate([t.detach().numpy().ravel() for t in tensors]).astype(np.float64)

    @staticmethod
    def all_finite(tensors):
        return all(np.isfinite(t.detach().numpy()).all() for t in tensors)

    def _reduce(self, squared):
        return squared.sum(axis=-1) if self.reduction == "sum" else squared.mean(axis=-1)

    def predict(self, flat):
        """Predictions for a batch of flat parameter vectors: (G, P) -> (G, n_points)."""
        flat = np.atleast_2d(flat)
        if self.kind == "cubic":
            return flat @ self._features.T
        hidden = MLP_HIDDEN
        w1, b1 = flat[:, :hidden], flat[:, hidden:2 * hidden]
        w2, b2 = flat[:, 2 * hidden:3 * hidden], flat[:, 3 * hidden:3 * hidden + 1]
        h = np.tanh(self.x[None, :, None] * w1[:, None, :] + b1[:, None, :])
        return np.einsum("gnh,gh->gn", h, w2) + b2

    def loss_grid(self, center, i, j, xs, ys):
        """Loss over a grid of parameters i and j, the others held at `center`."""
        gx, gy = np.meshgrid(xs, ys)
        flat = np.repeat(center[None, :], gx.size, axis=0)
        flat[:, i], flat[:, j] = gx.ravel(), gy.ravel()
        losses = np.concatenate([self._reduce((self.predict(chunk) - self.y) ** 2)
                                 for chunk in np.array_split(flat, max(1, gx.size // 256))])
        return losses.reshape(gx.shape)


@functools.cache
def problem_for(model, n_points, reduction):
    """The one Problem for these settings in this process, shared by every run that uses
    them (``check_config`` admits only a few combinations)."""
    return Problem(model, n_points, reduction)


def describe_divergence(why, hparams, problem):
    lr = hparams["lr"]
    text = f"{why.capitalize()} (lr={fmt(float(lr))}, {hparams['optimizer']}). "
    if problem.kind == "cubic" and hparams["optimizer"] == "SGD":
        limit = 2 * (1 + hparams["momentum"]) / problem.lambda_max
        if lr > limit:
            return text + (
                f"Gradient descent on this problem is only stable for lr below about "
                f"2(1+momentum)/λmax ≈ {limit:.2g}: λmax ≈ {problem.lambda_max:.3g} is the "
                f"steepest curvature of the loss (the x³ feature makes it steep), so each "
                f"step overshoots the minimum further than the last.")
    return text + ("The steps are too large for this loss surface: each update overshoots "
                   "and the error grows instead of shrinking. Try a smaller learning rate.")


@dataclasses.dataclass(frozen=True)
class RunConfig:
    optimizer: str = "SGD"
    lr: float = 1e-4
    momentum: float = 0.0
    nesterov: bool = False
    steps: int = 10_000
    seed: int = 0
    model: str = "cubic"
    n_points: int = 200
    reduction: str = "mean"


def make_optimizer(name, params, lr, momentum=0.0, nesterov=False):
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=nesterov)
    if name == "Adam":
        return torch.optim.Adam(params, lr=lr)
    if name == "Adagrad":
        return torch.optim.Adagrad(params, lr=lr)
    if name == "RMSprop":
        return torch.optim.RMSprop(params, lr=lr, momentum=momentum)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")


def run_label(hp):
    text = f"{hp['optimizer']} lr={fmt(hp['lr'])}"
    if hp["optimizer"] in ("SGD", "RMSprop") and hp["momentum"]:
        text += f" m={fmt(hp['momentum'])}"
    if hp["optimizer"] == "SGD" and hp["nesterov"] and hp["momentum"]:
        text += " nesterov"
    return text
