"""``torch.autograd.functional``: jacobian and hessian, built on ``autograd.grad``."""
from engine.autograd.engine import grad
from engine.autograd.grad_mode import enable_grad


def _tensor():
    from engine.tensor import Tensor
    return Tensor


def _as_tuple(x, what, caller):
    """``(tensors, was_single)``, with PyTorch's TypeError for anything but a tensor or a
    tuple of tensors."""
    if isinstance(x, _tensor()):
        return (x,), True
    if not isinstance(x, tuple):
        raise TypeError(f"The {what} given to {caller} must be either a Tensor or a tuple of "
                        f"Tensors but the given {what} has type {type(x)}.")
    for i, item in enumerate(x):
        if not isinstance(item, _tensor()):
            raise TypeError(f"The {what} given to {caller} must be either a Tensor or a tuple "
                            f"of Tensors but the value at index {i} has type {type(item)}.")
    return x, False


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for output i and input j, a tensor of shape
    ``outputs[i].shape + inputs[j].shape``; tuples collapse as PyTorch collapses them.
    ``strict`` refuses outputs that do not depend on every input, as PyTorch does."""
    return _jacobian(func, inputs, create_graph, strict, "jacobian")


def _jacobian(func, inputs, create_graph, strict, caller):
    from engine.ops.creation import zeros
    from engine.ops.indexing import stack
    inputs, single_input = _as_tuple(inputs, "inputs", caller)
    with enable_grad():
        inputs = tuple(x if create_graph and x.requires_grad else x.detach().requires_grad_()
                       for x in inputs)
        outputs, single_output = _as_tuple(func(*inputs), "outputs of the user-provided "
                                           "function", caller)
        for i, out in enumerate(outputs):
            if strict and not out.requires_grad:
                raise RuntimeError(_NO_GRAD[caller].format(i))
        jac = []
        for i, out in enumerate(outputs):
            flat = out.reshape(-1)
            rows = [[] for _ in inputs]
            for k in range(flat.numel()):
                parts = grad(flat[k], inputs, retain_graph=True, create_graph=create_graph,
                             allow_unused=True) if flat.requires_grad else (None,) * len(inputs)
                for j, (part, x) in enumerate(zip(parts, inputs)):
                    if strict and part is None:
                        raise RuntimeError(f"Output {i} of the user-provided function is "
                                           f"independent of input {j}. This is not allowed in "
                                           "strict mode.")
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


_NO_GRAD = {  # strict mode's error for an output that does not depend on the inputs at all
    "jacobian": "Output {} of the user-provided function does not require gradients. The "
                "outputs must be computed in a differentiable manner from the input when "
                "running in strict mode.",
    "hessian": "While computing the hessian, found that the jacobian of the user-provided "
               "function with respect to input {} is independent of the input. This is not "
               "allowed in strict mode. You should ensure that your function is twice "
               "differentiable and that the jacobian depends on the inputs (this would be "
               "violated by a linear function for example).",
}


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar ``func``: ``jacobian`` of its ``jacobian``."""
    tuple_inputs, single_input = _as_tuple(inputs, "inputs", "hessian")

    def scalar_func(*xs):
        out = func(*xs)
        _as_tuple(out, "outputs of the user-provided function", "hessian")
        if not isinstance(out, _tensor()) or out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.reshape(())

    def gradient(*xs):
        return _jacobian(scalar_func, xs, True, strict, "jacobian")

    result = _jacobian(gradient, tuple_inputs, create_graph, strict, "hessian")
    return result[0][0] if single_input else result
