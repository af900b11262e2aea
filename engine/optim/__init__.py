"""``torch.optim``: SGD, Adam, AdamW, Adagrad, RMSprop."""
from engine.optim.adagrad import Adagrad, RMSprop
from engine.optim.adam import Adam, AdamW
from engine.optim.optimizer import Optimizer
from engine.optim.sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop"]
