"""``torch.linalg``: the linear algebra namespace, delegating to engine.ops.algebra and
engine.ops.decompose; what PyTorch composes of other ops (``multi_dot``, ``vecdot``,
``vander``...) is composed here the same way, so that its graph is PyTorch's."""
import numpy as _np

from engine import dtypes as _dtypes
from engine.autograd.grad_mode import no_grad as _no_grad
from engine.ops import algebra as _A
from engine.ops import operands as _O
from engine.ops.creation import ones as _ones
from engine.ops.decompose import (  # noqa: F401 - torch.linalg's names
    cholesky,
    eigh,
    eigvalsh,
    lstsq,
    pinv,
    qr,
    svd,
    svdvals,
)
from engine.ops.indexing import cat as _cat
from engine.ops.linalg import (
    _CPP_NAMES,
    matmul,  # noqa: F401 - torch.linalg.matmul
)
from engine.tensor import Tensor as _Tensor

LinAlgError = _A._LinAlgError


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    return _A.norm(A, ord, dim, keepdim, dtype=dtype)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    return _A.vector_norm(x, ord, dim, keepdim, dtype=dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    return _A.matrix_norm(A, ord, dim, keepdim, dtype=dtype)


def det(A):
    return _A.det(A)


def slogdet(A):
    return _A.slogdet(A, "linalg_slogdet")


def inv(A):
    return _A.inv(A)


def solve(A, B, *, left=True):
    return _A.solve(A, B, left=left)


def matrix_power(A, n):
    return _A.matrix_power(A, n)


def matrix_exp(A):
    return _A.matrix_exp(A)


def solve_triangular(A, B, *, upper, left=True, unitriangular=False):
    return _A.solve_triangular(A, B, upper=upper, left=left, unitriangular=unitriangular)


def cross(input, other, *, dim=-1):
    return _A.linalg_cross(input, other, dim=dim)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return A.diagonal(offset, dim1, dim2)


def vecdot(x, y, *, dim=-1):
    """The dot products of ``x`` and ``y`` along ``dim``, broadcast, as PyTorch composes it:
    ``(x.conj() * y).sum(dim)``."""
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found "
                           f"x of type {_O.dtype_name(x.dtype)} and y of type {_O.dtype_name(y.dtype)} instead")
    if x.dtype.category < 2:
        raise RuntimeError("linalg.vecdot: Expected a floating point or complex tensor as "
                           f"input. Got {_O.dtype_name(x.dtype)}")
    return ((x.conj() if x.is_complex() else x) * y).sum(dim)


def multi_dot(tensors):
    """The product of the matrices in the order that costs the fewest multiplications, as
    PyTorch chooses it; a 1-D first (last) tensor is a row (column) vector."""
    tensors, n = list(tensors), len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(tensors):
        which = "the first tensor" if i == 0 else "the last tensor" if i == n - 1 else None
        if which and t.ndim not in (1, 2):
            raise RuntimeError(f"multi_dot(): {which} must be 1D or 2D but got {t.ndim}D")
        if not which and t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(
                "multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                f"{_CPP_NAMES[tensors[0].dtype.name]} and tensor {i} {_CPP_NAMES[t.dtype.name]}")
    first, last = tensors[0], tensors[-1]
    matrices = [first.unsqueeze(0) if first.ndim == 1 else first, *tensors[1:-1],
                last.unsqueeze(-1) if last.ndim == 1 else last]
    for i in range(n - 1):
        if matrices[i].shape[1] != matrices[i + 1].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes "
                               f"{list(tensors[i].shape)} and {list(tensors[i + 1].shape)} "
                               "cannot be multiplied")
    shape = first.shape[:1] * (first.ndim == 2) + last.shape[1:] * (last.ndim == 2)
    return _chain_product(matrices).view(shape)


def _chain_product(matrices):
    """The product of the chain of matrices, parenthesized as PyTorch does: by comparing
    the two orders' costs for three, by dynamic programming beyond."""
    n = len(matrices)
    if n == 2:
        return matrices[0] @ matrices[1]
    if n == 3:
        (a, b), (c, d) = matrices[0].shape, matrices[2].shape
        A, B, C = matrices
        return A @ (B @ C) if a * c * (b + d) > b * d * (a + c) else (A @ B) @ C
    dims = [m.shape[0] for m in matrices] + [matrices[-1].shape[1]]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    def product(i, j):
        if i == j:
            return matrices[i]
        return product(i, split[i][j]) @ product(split[i][j] + 1, j)
    return product(0, n - 1)


def vander(x, N=None):
    """The Vandermonde matrix of ``x``: its columns are ``x`` to the powers 0 .. N - 1,
    composed as PyTorch composes it (a cumulative product)."""
    if x.dtype is _dtypes.bool:
        raise RuntimeError("linalg.vander supports floating point, complex, and integer "
                           "tensors, but got Bool")
    if x.ndim == 0:
        x = x.unsqueeze(-1)
    N = x.shape[-1] if N is None else N
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")
    powers = x.unsqueeze(-1).expand(*x.shape, N - 1).cumprod(-1)
    return _cat([_ones(*x.shape, 1, dtype=x.dtype, device=x.device), powers], -1)


def matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None):
    """How many singular values (eigenvalues' magnitudes, ``hermitian``) of each matrix are
    above ``max(atol, rtol * the largest)``. Without either, ``rtol`` is the dtype's eps
    times the larger dim; with ``atol`` alone, 0; the old ``tol`` is an ``atol``."""
    if tol is not None and (atol is not None or rtol is not None):
        given = ", ".join(f"{k}={type(v).__name__}" for k, v in (("atol", atol), ("rtol", rtol))
                          if v is not None)
        raise TypeError(
            f"linalg_matrix_rank() received an invalid combination of arguments - got (Tensor, "
            f"{type(tol).__name__}, {given}), but expected one of:\n"
            " * (Tensor input, *, Tensor atol = None, Tensor rtol = None, bool hermitian = "
            "False, Tensor out = None)\n"
            " * (Tensor input, *, float atol = None, float rtol = None, bool hermitian = False, "
            "Tensor out = None)\n"
            " * (Tensor input, Tensor tol, bool hermitian = False, *, Tensor out = None)\n"
            " * (Tensor input, float tol, bool hermitian = False, *, Tensor out = None)\n")
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least "
                           "2 dimensions.")
    if A.dtype.category < 2 or A._data.dtype.itemsize < 4:
        raise RuntimeError("This function doesn't handle types other than float and double")
    if tol is not None:
        atol, rtol = tol, 0.0
    with _no_grad():
        values = (eigvalsh(A).abs() if hermitian else svdvals(A))._data
    if rtol is None:
        rtol = 0.0 if atol is not None and bool(_np.all(_batched(atol) > 0)) else \
            float(_np.finfo(values.dtype).eps) * max(A.shape[-2:])
    largest = values.max(-1, keepdims=True) if values.shape[-1] else \
        _np.zeros_like(values, shape=values.shape[:-1] + (1,))
    limit = _np.maximum(_batched(0.0 if atol is None else atol), _batched(rtol) * largest)
    return _Tensor._make((values > limit).sum(-1).astype(_np.int64))


def _batched(tolerance):
    """A tolerance, one number or one per matrix, as an array against the values' last dim."""
    return tolerance._data[..., None] if isinstance(tolerance, _Tensor) else tolerance
