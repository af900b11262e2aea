"""``torch.optim``: SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta, Adamax, NAdam, RAdam,
LBFGS, and ``lr_scheduler``."""
from engine.optim import lr_scheduler
from engine.optim.adadelta import Adadelta
from engine.optim.adagrad import Adagrad, RMSprop
from engine.optim.adam import Adam, AdamW
from engine.optim.adam_variants import Adamax, NAdam, RAdam
from engine.optim.lbfgs import LBFGS
from engine.optim.optimizer import Optimizer
from engine.optim.sgd import SGD

__all__ = ["LBFGS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam",
           "Optimizer", "RAdam", "RMSprop", "lr_scheduler"]
