"""``torch.nn``: Module, Parameter, layers, losses, ``functional`` and ``init``."""
from engine.nn import functional, init
from engine.nn.layers import (CrossEntropyLoss, Flatten, Identity, L1Loss, Linear, MSELoss,
                              ReLU, Sequential, Sigmoid, Softmax, Tanh)
from engine.nn.module import Module, Parameter

__all__ = ["CrossEntropyLoss", "Flatten", "Identity", "L1Loss", "Linear", "MSELoss", "Module",
           "Parameter", "ReLU", "Sequential", "Sigmoid", "Softmax", "Tanh", "functional",
           "init"]
