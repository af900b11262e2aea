"""``torch.linalg``: the linear algebra namespace, delegating to engine.ops.algebra and
engine.ops.decompose."""
from engine.ops import algebra as _A
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
from engine.ops.linalg import matmul  # noqa: F401 - torch.linalg.matmul

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


def cross(input, other, *, dim=-1):
    return _A.linalg_cross(input, other, dim=dim)
