"""``torch.nn``: Module, Parameter, layers, losses, ``functional`` and ``init``."""
from engine.nn import functional, init
from engine.nn.layers import (ELU, GELU, CrossEntropyLoss, Flatten, Identity, L1Loss,
                              LeakyReLU, Linear, MSELoss, ReLU, Sequential, Sigmoid, SiLU,
                              Softmax, Softplus, Tanh)
from engine.nn.module import Module, Parameter

__all__ = ["ELU", "GELU", "CrossEntropyLoss", "Flatten", "Identity", "L1Loss", "LeakyReLU",
           "Linear", "MSELoss", "Module", "Parameter", "ReLU", "Sequential", "SiLU", "Sigmoid",
           "Softmax", "Softplus", "Tanh", "functional", "init"]
