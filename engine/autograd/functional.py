"""``torch.autograd.functional``: jacobian and hessian, built on ``autograd.grad``."""
from engine.autograd.engine import grad
from engine.autograd.grad_mode import enable_grad


def _tensor():
    from engine.tensor import Tensor
    return Tensor


def _as_tuple(x):
    return (x, False) if isinstance(x, tuple) else ((x,), True)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for output i and input j, a tensor of shape
    ``outputs[i].shape + inputs[j].shape``; tuples collapse as PyTorch collapses them."""
    from engine.ops.creation import zeros
    from engine.ops.indexing import stack
    inputs, single_input = _as_tuple(inputs)
    with enable_grad():
        inputs = tuple(x if create_graph and x.requires_grad else x.detach().requires_grad_()
                       for x in inputs)
        outputs, single_output = _as_tuple(func(*inputs))
        jac = []
        for out in outputs:
            flat = out.reshape(-1)
            rows = [[] for _ in inputs]
            for k in range(flat.numel()):
                parts = grad(flat[k], inputs, retain_graph=True, create_graph=create_graph,
                             allow_unused=True) if flat.requires_grad else (None,) * len(inputs)
                for j, (part, x) in enumerate(zip(parts, inputs)):
                    rows[j].append(part if part is not None
                                   else zeros(*x.shape, dtype=x.dtype))
            jac.append(tuple(
                (stack(r) if r else zeros(0, *x.shape, dtype=x.dtype)).reshape(
                    tuple(out.shape) + tuple(x.shape)) for r, x in zip(rows, inputs)))
    if not create_graph:
        jac = [tuple(j.detach() for j in row) for row in jac]
    if single_output:
        return jac[0][0] if single_input else jac[0]
    return tuple(row[0] for row in jac) if single_input else tuple(jac)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar ``func``: ``jacobian`` of its ``jacobian``."""
    tuple_inputs, single_input = _as_tuple(inputs)

    def scalar_func(*xs):
        out = func(*xs)
        if not isinstance(out, _tensor()) or out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.reshape(())

    def gradient(*xs):
        return jacobian(scalar_func, xs, create_graph=True)

    result = jacobian(gradient, tuple_inputs, create_graph=create_graph)
    return result[0][0] if single_input else result
