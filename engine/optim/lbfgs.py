"""L-BFGS: quasi-Newton steps from a history of gradient differences, over all parameters
flattened into one vector, optionally with a strong-Wolfe line search.

The arithmetic runs on numpy arrays; scalars that PyTorch keeps as 0-d tensors (dot
products, ``ro``, ``H_diag``, the first step length) are numpy scalars of the parameters'
dtype here, so float32 runs round as PyTorch's do. The state, held by the first parameter
as in PyTorch, stores them as tensors.
"""
import numpy as np

from engine.autograd.grad_mode import enable_grad
from engine.optim.optimizer import Optimizer, check
from engine.tensor import Tensor


def _cubic_minimum(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through two points with their slopes, within ``bounds``
    (default: between the points); the bounds' midpoint if the cubic has no minimum."""
    low, high = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = np.sqrt(d2_square)
    if x1 <= x2:
        at = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        at = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(at, low), high)


def _strong_wolfe(evaluate, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """Step length ``t`` along ``d`` meeting the strong Wolfe conditions: bracket a point,
    then zoom in by cubic interpolation. Returns ``(f, g, t, evaluations)``."""
    d_norm = np.abs(d).max()
    f_new, g_new = evaluate(t)
    evals, ls_iter, done = 1, 0, False
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    while ls_iter < max_ls:
        no_decrease = f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev)
        if not no_decrease and abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g, done = [t], [f_new], [g_new], True
            break
        if no_decrease or gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        t_prev, t = t, _cubic_minimum(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                      bounds=(t + 0.01 * (t - t_prev), t * 10))
        f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
        f_new, g_new = evaluate(t)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    stalled = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_minimum(bracket[0], bracket_f[0], bracket_gtd[0],
                           bracket[1], bracket_f[1], bracket_gtd[1])
        top, bottom = max(bracket), min(bracket)
        margin = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < margin:
            if stalled or t >= top or t <= bottom:
                t = top - margin if abs(t - top) < abs(t - bottom) else bottom + margin
                stalled = False
            else:
                stalled = True
        else:
            stalled = False
        f_new, g_new = evaluate(t)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low]:
            replace = high
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            replace = low
        bracket[replace], bracket_f[replace] = t, f_new
        bracket_g[replace], bracket_gtd[replace] = g_new, gtd_new
        if replace == high:
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
    return bracket_f[low], bracket_g[low], bracket[low], evals


def _number(loss):
    """``float(loss)`` without the requires-grad warning, which PyTorch doesn't give here
    since its step runs under no_grad."""
    return loss.item() if isinstance(loss, Tensor) else float(loss)


def _stored(value):
    if isinstance(value, (np.ndarray, np.generic)):
        return Tensor._make(np.array(value))
    if isinstance(value, list):
        return [_stored(v) for v in value]
    return value


def _loaded(value):
    if isinstance(value, Tensor):
        data = value._data
        return data[()] if data.ndim == 0 else data
    if isinstance(value, list):
        return [_loaded(v) for v in value]
    return value


class LBFGS(Optimizer):
    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        check(0.0 <= lr, f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(
            lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change, history_size=history_size,
            line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self):
        return np.concatenate([p._grad._data.reshape(-1) if p._grad is not None
                               else np.zeros(p._data.size, p._data.dtype)
                               for p in self._params])

    def _move(self, step, direction):
        offset = 0
        for p in self._params:
            p._data += step * direction[offset:offset + p._data.size].reshape(p._data.shape)
            p._version_counter[0] += 1
            offset += p._data.size

    def _evaluate_at(self, closure, t, d):
        """Loss and gradient at ``t`` along ``d``; the parameters are put back after."""
        start = [p._data.copy() for p in self._params]
        self._move(t, d)
        loss = _number(closure())
        grad = self._flat_grad()
        for p, data in zip(self._params, start):
            p._data[...] = data
        return loss, grad

    def step(self, closure):
        """Up to ``max_iter`` iterations, each needing the loss and gradients anew from
        ``closure`` (run with grad enabled); returns the loss from the first call."""
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        def evaluate():
            with enable_grad():
                return closure()

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        first_loss = evaluate()
        loss = _number(first_loss)
        evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return first_loss

        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss = (
            _loaded(state.get(key)) for key in ("d", "t", "old_dirs", "old_stps", "ro",
                                                "H_diag", "prev_flat_grad", "prev_loss"))
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro, H_diag = [], [], [], 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        del old_dirs[0], old_stps[0], ro[0]
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / y.dot(y)
                al = state.setdefault("al", [None] * history_size)
                q = -flat_grad
                for i in reversed(range(len(old_dirs))):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q += -al[i] * old_dirs[i]
                d = q * H_diag
                for i in range(len(old_dirs)):
                    d += (al[i] - old_dirs[i].dot(d) * ro[i]) * old_stps[i]
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:
                break

            found = 0
            if group["line_search_fn"] is not None:
                if group["line_search_fn"] != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                loss, flat_grad, t, found = _strong_wolfe(
                    lambda step, d=d: self._evaluate_at(evaluate, step, d), t, d, loss,
                    flat_grad, gtd, max_ls=max_eval - evals)
                self._move(t, d)
                optimal = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._move(t, d)
                if n_iter != max_iter:
                    loss = _number(evaluate())
                    flat_grad = self._flat_grad()
                    optimal = np.abs(flat_grad).max() <= tolerance_grad
                    found = 1
            evals += found
            state["func_evals"] += found
            if (n_iter == max_iter or evals >= max_eval or optimal
                    or np.abs(d * t).max() <= tolerance_change
                    or abs(loss - prev_loss) < tolerance_change):
                break

        state.update({"d": d, "t": t, "old_dirs": old_dirs, "old_stps": old_stps, "ro": ro,
                      "H_diag": H_diag, "prev_flat_grad": prev_flat_grad,
                      "prev_loss": prev_loss})
        for key in ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "al"):
            if key in state:
                state[key] = _stored(state[key])
        return first_loss
