"""Linear algebra through a factorization: the pseudo-inverse and least squares (by the
SVD), the Cholesky factor, QR, the SVD, and the eigendecomposition of a symmetric matrix.
Real matrices; the backward formulas are engine ops, so they differentiate again."""
import numpy as np

from engine import backend
from engine.autograd.node import OUTPUT, Function, Output, OutputGrads
from engine.ops import operands as O
from engine.ops import reduce as R
from engine.ops.algebra import _check_square, _LinAlgError, inv
from engine.ops.elementwise import ones_like, zeros_like
from engine.ops.gather import diag_embed
from engine.ops.indexing import cat
from engine.ops.linalg import matmul
from engine.ops.movement import tril
from engine.tensor import Tensor

R.add_return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
R.add_return_type("linalg_qr", ("Q", "R"))
R.add_return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
R.add_return_type("linalg_svd", ("U", "S", "Vh"))
QR_MODES = ("reduced", "complete", "r")
LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _check_real(name, *tensors):
    for t in tensors:
        if t.dtype.category != 2:
            raise NotImplementedError(f"{name} of {O.dtype_name(t.dtype)} matrices is not "
                                      "supported here; give float or double")


def _unsupported(kernel, A):
    """PyTorch's error for a dtype its LAPACK ``kernel`` does not take."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{O.dtype_name(A.dtype)}'")


def _as_double(a):
    return a.astype(np.float64) if a.dtype.itemsize < 8 else a


def _default_rtol(a):
    """PyTorch's tolerance for a singular value to count: the dtype's eps times the larger
    of the matrix's dims."""
    return np.finfo(a.dtype).eps * max(a.shape[-2:])


def _svd(a, full_matrices):
    """``u, s, vh`` of each matrix of ``a``, or PyTorch's error where LAPACK gives up, as
    numpy's does on a NaN (cupy answers NaNs instead, so it is asked first)."""
    xp = backend.module_of(a)
    try:
        if xp is not np and bool(xp.isnan(a).any()):
            raise np.linalg.LinAlgError
        return xp.linalg.svd(a, full_matrices=full_matrices)
    except np.linalg.LinAlgError:
        matrices = backend.to_host(a).reshape(-1, *a.shape[-2:])
        bad = next((i for i, m in enumerate(matrices) if not np.isfinite(m).all()), None)
        where = f"(Batch element {bad}): " if a.ndim > 2 and bad is not None else ""
        why = "contained non-finite values" if bad is not None else \
            "is ill-conditioned or has too many repeated singular values"
        raise _LinAlgError(f"linalg.svd: {where}The algorithm failed to converge because the "
                           f"input matrix {why}.") from None


def _svd_inverse(a, rtol, atol=0.0):
    """``v``, ``1 / s`` and ``u``'s transpose, of the thin SVD ``a = u s vᵀ`` (of each matrix
    of a batch), with ``1 / s`` made 0 where ``s`` is at most ``rtol`` times the largest or
    ``atol``; and ``s`` itself."""
    xp = backend.module_of(a)
    u, s, vh = _svd(a, full_matrices=False)
    top = s.max(-1, keepdims=True) if s.size else s
    kept = (s > rtol * top) & (s > atol)
    with backend.quiet():
        s_inv = xp.where(kept, 1 / s, 0)
    return np.swapaxes(vh, -1, -2), s_inv, np.swapaxes(u, -1, -2), s


class LinalgPinvBackward0(Function):
    @staticmethod
    def forward(ctx, A, atol, rtol):
        ctx.save(self=A, result=OUTPUT)
        a = _as_double(A._data)
        v, s_inv, ut, _ = _svd_inverse(a, _default_rtol(A._data) if rtol is None else rtol,
                                       atol or 0.0)
        return (v @ (s_inv[..., None] * ut)).astype(A._data.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        A, P = ctx.unpack("self", "result")
        return (_pinv_grad(grad, P, A),)


def _pinv_grad(grad, P, A):
    """The gradient reaching ``A`` from ``grad`` at its pseudo-inverse ``P``: the terms of
    the pseudo-inverse's derivative, grouped to multiply the smallest matrices."""
    m, n = A.shape[-2:]
    Pt, Gt = P.mT, grad.mT
    if m <= n:
        K = matmul(Gt, P)
        KPt = matmul(K, Pt)
        return -matmul(P, K).mT + KPt - matmul(matmul(A, P), KPt) + \
            matmul(matmul(Pt, P), Gt - matmul(K, A))
    K = matmul(P, Gt)
    PtK = matmul(Pt, K)
    return -matmul(K, P).mT + matmul(matmul(Gt - matmul(A, K), P), Pt) + PtK - \
        matmul(matmul(PtK, P), A)


def pinv(A, *, atol=None, rtol=None, hermitian=False):
    """``hermitian`` changes nothing here: the SVD of a Hermitian matrix gives its
    pseudo-inverse as well."""
    if A.ndim < 2 or A.dtype.category < 2 or A._data.dtype.itemsize < 4:
        raise RuntimeError(f"linalg.pinv({O.dtype_name(A.dtype)}{{{list(A.shape)}}}): "
                           "expected a tensor with 2 or more dimensions of float, double, "
                           "cfloat or cdouble types")
    _check_real("linalg.pinv", A)
    if atol is not None and rtol is None:
        rtol = 0.0  # as PyTorch: an absolute tolerance alone
    return LinalgPinvBackward0.apply(A, atol=atol, rtol=rtol)


class LinalgLstsqBackward0(Function):
    """Least squares: its outputs are the solution and the squared residuals, computed
    beforehand (``lstsq``); backward goes through the pseudo-inverse, and for the residuals
    through their derivative at the optimum."""

    @staticmethod
    def forward(ctx, A, B, solution, residuals):
        ctx.save(self=A, b=B, solution=OUTPUT)
        return solution, residuals

    @staticmethod
    def backward(ctx, grad):
        A, B, X = ctx.unpack("self", "b", "solution")
        g_x, g_res = OutputGrads.parts_of(grad, 2)
        vector = B.ndim == A.ndim - 1
        if vector:
            B, X = B.unsqueeze(-1), X.unsqueeze(-1)
            g_x = None if g_x is None else g_x.unsqueeze(-1)
        grad_a = grad_b = None
        if g_x is not None:
            P = pinv(A)
            grad_a = _pinv_grad(matmul(g_x, B.mT), P, A)
            grad_b = matmul(P.mT, g_x)
        if g_res is not None and g_res.numel():
            scaled = (matmul(A, X) - B) * (2 * g_res.unsqueeze(-2))
            grad_a = R._sum_of_grads(grad_a, matmul(scaled, X.mT))
            grad_b = R._sum_of_grads(grad_b, -scaled)
        if vector and grad_b is not None:
            grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b


def lstsq(A, B, rcond=None, *, driver=None):
    """PyTorch's drivers differ in what they report: all but gels the rank, gelsd and gelss
    the singular values, and all but gelsy (the default) the squared residuals, where ``A``
    is tall and of full rank. The solution is found by the SVD whatever the driver."""
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if any(t.dtype.category < 2 or t._data.dtype.itemsize < 4 for t in (A, B)):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same "
                           f"dtype, but got input's dtype {O.dtype_name(A.dtype)} and other's "
                           f"dtype {O.dtype_name(B.dtype)}")
    _check_real("torch.linalg.lstsq", A)
    if driver is not None and driver not in LSTSQ_DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of "
                           "(gels, gelsy, gelsd, gelss)")
    vector = B.ndim == A.ndim - 1
    if B.ndim < 1 or B.shape[-1 if vector else -2] != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    a, dt = _as_double(A._data), A._data.dtype
    rhs = _as_double(B._data)[..., None] if vector else _as_double(B._data)
    v, s_inv, ut, s = _svd_inverse(a, _default_rtol(A._data) if rcond is None else rcond)
    x = v @ (s_inv[..., None] * (ut @ rhs))
    rank = (s_inv != 0).sum(-1)
    m, n = a.shape[-2:]
    if driver not in (None, "gelsy") and m > n and bool((rank == n).all()):
        residuals = ((a @ x - rhs) ** 2).sum(-2).astype(dt)
    else:
        residuals = np.zeros_like(a, dt, shape=(0,))
    solution, residuals = LinalgLstsqBackward0.apply(
        A, B, solution=(x[..., 0] if vector else x).astype(dt), residuals=residuals)
    rank = np.zeros_like(rank, shape=(0,)) if driver == "gels" else rank
    singular_values = s.astype(dt) if driver in ("gelsd", "gelss") else \
        np.zeros_like(a, dt, shape=(0,))
    return R.ReturnTypes("linalg_lstsq", solution, residuals,
                         Tensor._make(backend.as_array(rank).astype(np.int64)),
                         Tensor._make(singular_values))


class LinalgCholeskyExBackward0(Function):
    @staticmethod
    def forward(ctx, A, upper):
        a = A._data
        lower = _cholesky(a)
        out = np.swapaxes(lower, -1, -2).copy() if upper else lower
        ctx.save(L=OUTPUT, upper=upper)
        return out

    @staticmethod
    def backward(ctx, grad):
        L, upper = ctx.unpack("L", "upper")
        if upper:
            L, grad = L.mT, grad.mT
        L_inv = inv(L)
        phi = tril(matmul(L.mT, grad))
        phi = phi - 0.5 * diag_embed(phi.diagonal(0, -2, -1))
        g = matmul(matmul(L_inv.mT, phi), L_inv)
        return ((g + g.mT) * 0.5,)


def _cholesky(a):
    """The lower Cholesky factor, or PyTorch's error naming the first leading minor that is
    not positive-definite (cupy gives nans there instead of numpy's error)."""
    try:
        lower = backend.module_of(a).linalg.cholesky(a)
        if backend.module_of(a) is np or bool(np.isfinite(lower).all()):
            return lower
    except np.linalg.LinAlgError:
        pass
    host = backend.to_host(a).reshape(-1, *a.shape[-2:])
    for batch, matrix in enumerate(host):
        for order in range(1, matrix.shape[0] + 1):
            try:
                np.linalg.cholesky(matrix[:order, :order])
            except np.linalg.LinAlgError:
                where = f"(Batch element {batch}): " if a.ndim > 2 else ""
                raise _LinAlgError(
                    f"linalg.cholesky: {where}The factorization could not be completed "
                    "because the input is not positive-definite (the leading minor of order "
                    f"{order} is not positive-definite).") from None
    raise _LinAlgError("linalg.cholesky: The factorization could not be completed.")


def cholesky(A, *, upper=False):
    _check_square("linalg.cholesky", A, low_precision=False)
    if A._data.dtype.itemsize < 4:
        raise _unsupported("cholesky_cpu", A)
    _check_real("linalg.cholesky", A)
    return LinalgCholeskyExBackward0.apply(A, upper=upper)


class LinalgQrBackward0(Function):
    """``A = QR``, Q with orthonormal columns and R upper triangular: one node, whose outputs
    0 and 1 are Q and R. With ``mode="r"`` Q is left empty, and backward refuses."""

    @staticmethod
    def forward(ctx, A, mode):
        a = A._data
        linalg = backend.module_of(a).linalg
        if mode == "r":
            q, r = np.zeros_like(a, shape=(0,)), linalg.qr(a, mode="r")
        else:
            q, r = linalg.qr(a, mode=mode)
        ctx.save(Q=OUTPUT, R=Output(1), mode=mode)
        return q, r

    @staticmethod
    def backward(ctx, grad):
        Q, R, mode = ctx.unpack("Q", "R", "mode")
        if mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
                "through linalg.qr.")
        m, n = Q.shape[-2], R.shape[-1]
        if mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when "
                               "mode='complete' and nrows > ncols.")
        g_q, g_r = (zeros_like(t) if g is None else g
                    for g, t in zip(OutputGrads.parts_of(grad, 2), (Q, R)))
        if m >= n:
            return (_qr_grad(Q, R, g_q, g_r),)
        # a wide A = [X | Y] factors as X = QU, Y = QV with R = [U | V]; only X moves Q
        U, V = R[..., :m], R[..., m:]
        g_v = g_r[..., m:]
        g_x = _qr_grad(Q, U, g_q + matmul(matmul(Q, V), g_v.mT), g_r[..., :m])
        return (cat([g_x, matmul(Q, g_v)], -1),)


def _qr_grad(Q, R, g_q, g_r):
    """The gradient reaching ``A = QR`` (R square and invertible) from those of Q and R.

    With ``X = Qᵀ dA R⁻¹``: ``dR = (X - C) R`` and ``dQ = dA R⁻¹ - Q (X - C)``, where
    ``C = tril(X, -1) - tril(X, -1)ᵀ`` is ``Qᵀ dQ``, which is antisymmetric. Gathering the
    terms of ``X`` gives ``(g_q + Q N) R⁻ᵀ``, where ``N`` mirrors the strictly lower part
    of ``M = R g_rᵀ - g_qᵀ Q`` above the diagonal, and keeps its lower triangle."""
    M = matmul(R, g_r.mT) - matmul(g_q.mT, Q)
    N = tril(M, -1) + tril(M).mT
    return matmul(g_q + matmul(Q, N), inv(R).mT)


def _check_matrices(name, A):
    """PyTorch's checks, in its order, that ``A`` is a matrix or a batch of them, of floats."""
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.dtype.category < 2:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {O.dtype_name(A.dtype)}")


def qr(A, mode="reduced"):
    _check_matrices("linalg.qr", A)
    if mode not in QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    if A._data.dtype.itemsize < 4:
        raise _unsupported("geqrf_cpu", A)
    _check_real("linalg.qr", A)
    return R.ReturnTypes("linalg_qr", *LinalgQrBackward0.apply(A, mode=mode))


class LinalgEighBackward0(Function):
    """``A = V diag(L) Vᵀ`` for a symmetric ``A``, read from its lower (``UPLO="L"``) or upper
    triangle: one node, whose outputs 0 and 1 are the eigenvalues L, ascending, and the
    eigenvectors V, as columns."""

    @staticmethod
    def forward(ctx, A, UPLO):
        L, V = backend.module_of(A._data).linalg.eigh(A._data, UPLO=UPLO)
        ctx.save(eigenvalues=OUTPUT, eigenvectors=Output(1))
        return L, V

    @staticmethod
    def backward(ctx, grad):
        """With ``X = Vᵀ dA V``: ``dL = diag(X)`` and ``dV = V (X / E)`` off the diagonal,
        where ``E[i, j] = L[j] - L[i]``. The gradient is symmetric, as ``A`` is: the
        antisymmetric part of ``Vᵀ g_V`` over ``E`` (whose diagonal, 0, is left alone)."""
        L, V = ctx.unpack("eigenvalues", "eigenvectors")
        g_l, g_v = OutputGrads.parts_of(grad, 2)
        inner = zeros_like(V) if g_l is None else diag_embed(g_l)
        if g_v is not None:
            B = matmul(V.mT, g_v)
            inner = inner + (B - B.mT) / (2 * _gaps(L))
        return (matmul(matmul(V, inner), V.mT),)


def _gaps(values):
    """``values[j] - values[i]`` at ``[i, j]`` (of each batch), what the backward formulas of
    eigh and svd divide by off the diagonal; 1 on the diagonal, where they divide 0."""
    return values.unsqueeze(-2) - values.unsqueeze(-1) + diag_embed(ones_like(values))


def eigh(A, UPLO="L"):
    """Each eigenvector's sign is LAPACK's choice, here as in PyTorch, whose LAPACK may choose
    the other sign: whatever does not depend on the signs agrees."""
    _check_square("linalg.eigh", A, low_precision=False, floating=False)
    if A.dtype.category < 2 or A._data.dtype.itemsize < 4:
        raise _unsupported("linalg_eigh_cpu", A)
    _check_real("linalg.eigh", A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return R.ReturnTypes("linalg_eigh", *LinalgEighBackward0.apply(A, UPLO=UPLO))


def eigvalsh(A, UPLO="L"):
    return eigh(A, UPLO).eigenvalues


class LinalgSvdBackward0(Function):
    """``A = U diag(S) Vh``, the singular values S descending: one node, whose outputs 0, 1
    and 2 are U, S and Vh. With ``full_matrices``, U and Vh are square, and backward, as
    PyTorch's, takes the gradients of their first ``k = len(S)`` columns and rows only."""

    @staticmethod
    def forward(ctx, A, full_matrices):
        U, S, Vh = _svd(A._data, full_matrices)
        ctx.save(full_matrices=full_matrices, U=OUTPUT, S=Output(1),
                 S_sym_argsize_minus_1=S.shape[-1], Vh=Output(2))
        return U, S, Vh

    @staticmethod
    def backward(ctx, grad):
        """With ``P = Uᵀ dA V``: ``dS = diag(P)``, and the rotations ``Uᵀ dU`` and ``Vᵀ dV``
        (antisymmetric) solve ``P = (Uᵀ dU) S + dS - S (Vᵀ dV)`` off the diagonal, with
        ``F[i, j] = 1 / (S[j]² - S[i]²)``. Where U (Vh) has more rows (columns) than S has
        values, dU (dV) also leaves U's (V's) span by ``dA V S⁻¹`` (``dAᵀ U S⁻¹``)."""
        U, S, Vh = ctx.unpack("U", "S", "Vh")
        g_u, g_s, g_vh = OutputGrads.parts_of(grad, 3)
        k = S.shape[-1]
        m, n = U.shape[-2], Vh.shape[-1]
        if ctx.unpack("full_matrices"):
            U, Vh = U[..., :k], Vh[..., :k, :]
            g_u = None if g_u is None else g_u[..., :k]
            g_vh = None if g_vh is None else g_vh[..., :k, :]
        core = zeros_like(U[..., :k, :]) if g_s is None else diag_embed(g_s)
        gaps = _gaps(S * S)
        if g_u is not None:
            J = matmul(U.mT, g_u)
            core = core + (J - J.mT) / gaps * S.unsqueeze(-2)
        if g_vh is not None:
            K = matmul(Vh, g_vh.mT)
            core = core + S.unsqueeze(-1) * ((K - K.mT) / gaps)
        grad_a = matmul(matmul(U, core), Vh)
        if g_u is not None and m > k:
            grad_a = grad_a + matmul((g_u - matmul(U, J)) / S.unsqueeze(-2), Vh)
        if g_vh is not None and n > k:
            grad_a = grad_a + matmul(U / S.unsqueeze(-2), g_vh - matmul(K.mT, Vh))
        return (grad_a,)


def svd(A, full_matrices=True, *, driver=None):
    """Each pair of singular vectors' sign is LAPACK's choice, as in ``eigh``."""
    _check_matrices("linalg.svd", A)
    if A._data.dtype.itemsize < 4:
        raise _unsupported("linalg_svd_cpu", A)
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on "
                           "CUDA inputs with cuSOLVER backend.")
    _check_real("linalg.svd", A)
    return R.ReturnTypes("linalg_svd",
                         *LinalgSvdBackward0.apply(A, full_matrices=bool(full_matrices)))


def svdvals(A, *, driver=None):
    return svd(A, full_matrices=False, driver=driver).S
