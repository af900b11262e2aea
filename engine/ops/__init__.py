"""The ops: each differentiable op is a graph-node class named as PyTorch names it."""
