"""``torch.nn``: Module, Parameter, layers, losses, containers, ``functional`` and ``init``."""
from engine.nn import functional, init
from engine.nn.containers import ModuleDict, ModuleList, ParameterDict, ParameterList
from engine.nn.layers import (ELU, GELU, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, Dropout,
                              Embedding, Flatten, HuberLoss, Identity, KLDivLoss, L1Loss, LeakyReLU,
                              Linear, LogSoftmax, MSELoss, NLLLoss, ReLU, Sequential, Sigmoid, SiLU,
                              SmoothL1Loss, Softmax, Softmin, Softplus, Tanh, Unflatten)
from engine.nn.module import Module, Parameter
from engine.nn.normalization import BatchNorm1d, LayerNorm
from engine.nn.padding import (CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d,
                               ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d,
                               ReflectionPad3d, ReplicationPad1d, ReplicationPad2d,
                               ReplicationPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d)

__all__ = ["ELU", "GELU", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss",
           "Dropout", "Embedding", "Flatten", "HuberLoss", "Identity", "KLDivLoss", "L1Loss",
           "LayerNorm", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "Module", "ModuleDict",
           "ModuleList", "NLLLoss", "Parameter", "ParameterDict", "ParameterList", "ReLU",
           "Sequential", "SiLU", "Sigmoid", "SmoothL1Loss", "Softmax", "Softmin", "Softplus",
           "Tanh", "Unflatten", "functional", "init",
           "CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d",
           "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d"]
