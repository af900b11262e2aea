"""``torch.optim.lr_scheduler``: learning-rate schedules that rewrite ``group["lr"]`` of an
optimizer's param groups at each ``scheduler.step()``.

As in PyTorch, most schedules are chainable: each step scales the group's *current* lr,
so two schedulers on one optimizer compose and changes made from outside persist. A step
given an explicit ``epoch`` (deprecated) uses the closed form from ``base_lrs`` instead.
The instance attributes are PyTorch's, in its order, since ``state_dict()`` is the
instance's ``__dict__`` without the optimizer.
"""
from engine.optim.lr_scheduler.base import EPOCH_DEPRECATION_WARNING, LRScheduler, _LRScheduler
from engine.optim.lr_scheduler.composite import ChainedScheduler, SequentialLR
from engine.optim.lr_scheduler.cycles import CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR
from engine.optim.lr_scheduler.decays import (ConstantLR, CosineAnnealingLR, ExponentialLR,
                                             LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR,
                                             PolynomialLR, ReduceLROnPlateau, StepLR)

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]

for _name in __all__:  # one module, as PyTorch's schedulers show (and pickle) theirs
    globals()[_name].__module__ = __name__
