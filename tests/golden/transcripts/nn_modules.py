"""nn: layers, graphs they record, registration errors, reprs, losses. Run with `torch`
bound to PyTorch or to the engine (see tests/golden/make_transcripts.py)."""
# ruff: noqa: F821 - `torch` is bound by the runner
import warnings

warnings.simplefilter("always")
nn = torch.nn
def names(t):
    return [(n.name() if n else None, i) for n, i in t.grad_fn.next_functions]
torch.manual_seed(0)
lin = nn.Linear(3, 1)
print(lin, list(dict(lin.named_parameters()).keys()), [tuple(p.shape) for p in lin.parameters()])
X = torch.ones(5, 3)
out = lin(X); print(out.grad_fn.name(), names(out))
print(lin(torch.ones(3)).grad_fn.name(), names(lin(torch.ones(3))))
lin2 = nn.Linear(3, 2, bias=False); print(lin2(X).grad_fn.name(), names(lin2(X)))
seq = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
loss = nn.MSELoss(reduction="sum")(seq(X), torch.zeros(5))
print(loss.grad_fn.name(), names(loss), loss.grad_fn._saved_reduction, loss.grad_fn.next_functions[0][0].name(), [(n.name() if n else None, i) for n, i in loss.grad_fn.next_functions[0][0].next_functions])
print(seq, len(seq), seq[0])
print(nn.MSELoss(), nn.L1Loss(), nn.CrossEntropyLoss(), nn.ReLU(), nn.Tanh(), nn.Sigmoid())
print(nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)))
print(list(seq.state_dict().keys()))
class M(nn.Module):
    def __init__(self):
        self.w = nn.Parameter(torch.zeros(2))
try: M()
except Exception as e: print(type(e).__name__, e)
class M2(nn.Module):
    def __init__(self):
        super().__init__(); self.w = nn.Parameter(torch.zeros(2)); self.inner = nn.Linear(2, 2)
m = M2(); print(m, [n for n, _ in m.named_parameters()], [type(c).__name__ for c in m.children()], len(list(m.modules())))
try: m.w = torch.zeros(2)
except Exception as e: print(type(e).__name__, e)
try: m.load_state_dict({"w": torch.zeros(2)})
except Exception as e: print(type(e).__name__, e)
print(m.training, m.eval().training, m.inner.training, m.train().inner.training)
p = nn.Parameter(torch.tensor([1., 2.])); print(p); print(repr(p))
print(nn.functional.mse_loss(torch.tensor([1., 2.]), torch.tensor([0., 0.])))
print(nn.functional.l1_loss(torch.tensor([1., -2.]), torch.tensor([0., 0.]), reduction="sum"))
logits = torch.tensor([[1., 2., 3.], [1., 0., -1.]], requires_grad=True)
ce = nn.functional.cross_entropy(logits, torch.tensor([2, 0])); print(ce); ce.backward(); print(logits.grad)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    nn.functional.mse_loss(torch.ones(3, 1), torch.ones(3)); print(w[0].message)
