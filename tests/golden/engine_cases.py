"""Golden snippets for the engine, grouped by topic.

Each snippet is Python using ``torch`` (and ``np``, ``math``, and the helper ``nf(t)``,
which lists ``(name, input_nr)`` of ``t.grad_fn.next_functions``). It runs REPL-style (see
``repl.py``): the last expression's repr, stdout, warnings and any exception are compared
with what real PyTorch 2.13 gave (``make_engine_golden.py`` writes ``engine.json``).
Random values are never printed: PyTorch's generator cannot be matched.
"""

CASES = []


def group(topic, *snippets):
    for i, code in enumerate(snippets):
        CASES.append((f"{topic}-{i}", code.strip("\n")))


# ---------------------------------------------------------------- creation
group(
    "creation",
    "torch.zeros(3)",
    "torch.ones(3,2)",
    "torch.empty(2,2,2).shape",
    "torch.manual_seed(1234)",
    "torch.rand(2,2,2,2).shape",
    "torch.tensor(1)",
    "torch.tensor((1,2))",
    "torch.tensor([[1,2,3], [4,5,6]])",
    "torch.tensor([(1,2,3), [4,5,6]])",
    "torch.tensor([(1,1,1), [4,5]])",
    "torch.tensor([[1, 2], [3]])",
    "torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]])",
    'torch.tensor(["A"])',
    'torch.tensor("A")',
    "torch.tensor([[True]]).dtype",
    "torch.tensor([True, False])",
    "torch.tensor([1, 2.5])",
    "torch.tensor([1, True])",
    "torch.tensor([1.5, True])",
    "torch.tensor(2.5)",
    "torch.tensor(3+4j)",
    "torch.tensor([1+2j, 3])",
    "torch.tensor([])",
    "torch.tensor([[], []]).shape",
    "torch.tensor(np.array([1, 2, 3], dtype=np.int32))",
    "torch.tensor(np.array([1.5, 2.5]))",
    "torch.tensor([1, 2], dtype=torch.float64)",
    "torch.tensor([1.7, -1.7], dtype=torch.int32)",
    "torch.tensor([1., 2.], requires_grad=True)",
    "torch.tensor([1, 2], requires_grad=True)",
    "torch.tensor([128], dtype=torch.int8)",
    "torch.tensor([-1], dtype=torch.uint8)",
    "torch.tensor([2**31], dtype=torch.int32)",
    "torch.tensor(2**63)",
    "torch.tensor([np.float32(1.5), np.float32(2)])",
    "torch.zeros(2, 3, dtype=torch.int64)",
    "torch.zeros((2, 3))",
    "torch.zeros([2, 1])",
    "torch.zeros(0)",
    "torch.zeros(2, -1)",
    "torch.ones(2, dtype=torch.bool)",
    "torch.full((2, 2), 7)",
    "torch.full((2, 2), 7.0)",
    "torch.full((2,), True)",
    "torch.full((2, 2), 1.5, dtype=torch.float64)",
    "torch.arange(5)",
    "torch.arange(1, 4)",
    "torch.arange(0, 1, 0.25)",
    "torch.arange(5, 0, -2)",
    "torch.arange(0., 3.)",
    "torch.arange(3, dtype=torch.float64)",
    "torch.arange(0, 5, 0)",
    "torch.arange(0, -5, 1)",
    "torch.linspace(0, 1, 5)",
    "torch.linspace(0, 2, steps=21)",
    "torch.linspace(-1, 1, 4, dtype=torch.float64)",
    "torch.linspace(0, 10, 1)",
    "torch.linspace(0, 10, 0)",
    "torch.set_printoptions(precision=8); torch.linspace(-3.141592653589793, 3.141592653589793, 50)",
    "torch.set_printoptions(precision=10); torch.linspace(1, 10, 33)",
    "torch.set_printoptions(precision=17); torch.linspace(-1, 0.3, 21, dtype=torch.float64)",
    "torch.linspace(0, 1, 21, dtype=torch.float16)",
    "torch.linspace(-7.3, 10000, 9, dtype=torch.int64)",
    "torch.eye(3)",
    "torch.eye(2, 3)",
    "torch.eye(2, dtype=torch.int64)",
    "torch.zeros_like(torch.tensor([[1, 2]]))",
    "torch.ones_like(torch.tensor([1., 2.]))",
    "torch.full_like(torch.tensor([1, 2]), 5)",
    "torch.empty_like(torch.tensor([1., 2.])).shape",
    "torch.rand_like(torch.ones(2, 3)).shape",
    "torch.randn_like(torch.ones(2, dtype=torch.float64)).dtype",
    "torch.randn(2, 3).shape",
    "torch.randn(2, 3).dtype",
    "torch.rand(3, dtype=torch.float64).dtype",
    "torch.randint(0, 10, (3, 4)).shape",
    "torch.randint(0, 10, (3,)).dtype",
    "t = torch.randint(3, 5, (100,)); bool(((t >= 3) & (t < 5)).all())",
    "t = torch.rand(1000); bool(((t >= 0) & (t < 1)).all())",
    "torch.randint(5, 5, (2,))",
    "torch.rand(2, 3, requires_grad=True).requires_grad",
    "torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])])",
    "torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4])], dim=1)",
    "torch.stack([torch.tensor([1, 2]), torch.tensor([3, 4, 5])])",
    "torch.cat([torch.tensor([1, 2]), torch.tensor([3])])",
    "torch.cat([torch.ones(2, 2), torch.zeros(1, 2)])",
    "torch.cat([torch.ones(2, 2), torch.zeros(2, 1)], dim=1)",
    "torch.cat([torch.ones(2, 2), torch.zeros(2, 1)])",
    "torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])])",
    "torch.vstack([torch.tensor([1, 2]), torch.tensor([3, 4])])",
    "torch.hstack([torch.tensor([1, 2]), torch.tensor([3, 4])])",
    "torch.hstack([torch.ones(2, 1), torch.zeros(2, 2)])",
    "torch.Tensor([1, 2])",
    "torch.Tensor(2, 3).shape",
    "torch.as_tensor([1, 2])",
    "torch.is_tensor(torch.tensor(1)), torch.is_tensor(1)",
    "torch.numel(torch.ones(2, 3))",
)

# ---------------------------------------------------------------- dtypes
group(
    "dtypes",
    "torch.float, torch.double, torch.half, torch.cfloat, torch.cdouble",
    "torch.short, torch.int, torch.long",
    "torch.float32 is torch.float, torch.int64 is torch.long",
    "[torch.float16, torch.bfloat16, torch.complex64, torch.complex128, torch.uint8, torch.int8, torch.int16, torch.int32, torch.bool]",
    "torch.get_default_dtype()",
    "a = torch.tensor([1,2,3]); a, a.dtype",
    "b = torch.tensor([1,2,3], dtype=torch.float16); b, b.dtype",
    "c = torch.tensor([1.,2.,3.]); c, c.dtype",
    "d = torch.tensor([1,2,3], dtype=torch.float64); d, d.dtype",
    "torch.tensor([1, 2], dtype=torch.bfloat16)",
    "torch.tensor([1, 2], dtype=torch.complex64)",
    "torch.tensor([1, 2], dtype=torch.complex128)",
    "torch.tensor([1, 0, 2], dtype=torch.bool)",
    "torch.tensor([128]).to(torch.int8)",
    "torch.tensor([255]).to(torch.uint8)",
    "torch.tensor([300]).to(torch.uint8)",
    "torch.tensor([300]).to(torch.int16)",
    "torch.tensor([-1, 256, 257]).to(torch.uint8)",
    "torch.tensor([2.7, -2.7]).to(torch.int64)",
    "torch.tensor([0., 1.5]).to(torch.bool)",
    "torch.tensor([1, 2]).to(torch.float32)",
    "torch.tensor([1, 2]).to(dtype=torch.float64)",
    "t = torch.tensor([1., 2.]); t.to(torch.float32) is t",
    "torch.tensor([1, 2]).to(torch.tensor([1.5]))",
    "torch.tensor(1/3, dtype=torch.float16)",
    "torch.set_printoptions(precision=8); torch.tensor(1/3, dtype=torch.float16)",
    "torch.set_printoptions(precision=8); torch.tensor(1/3, dtype=torch.float32)",
    "torch.set_printoptions(precision=8); torch.tensor(1/3, dtype=torch.float64)",
    "torch.set_printoptions(precision=8); torch.tensor(1/3, dtype=torch.bfloat16)",
    "torch.tensor(1/3, dtype=torch.bfloat16).item()",
    "torch.tensor(1/3, dtype=torch.float16).item()",
    "torch.tensor([1, 2]).type()",
    "torch.tensor([1., 2.]).type()",
    "[torch.ones(1, dtype=d).type() for d in (torch.float16, torch.bfloat16, torch.float64, torch.uint8, torch.int8, torch.int16, torch.int32, torch.bool, torch.complex64, torch.complex128)]",
    "torch.tensor([1, 2]).type(torch.float64)",
    "torch.tensor([1.5, 2]).type('torch.IntTensor')",
    "torch.tensor([1, 2]).type(torch.DoubleTensor)",
    "torch.tensor([1, 2]).float(), torch.tensor([1.5]).double(), torch.tensor([1.5]).half()",
    "torch.tensor([1.5, 2.5]).int(), torch.tensor([1.5]).long(), torch.tensor([1.5]).short()",
    "torch.tensor([1, 0]).bool(), torch.tensor([-1]).byte(), torch.tensor([200]).char()",
    "torch.tensor([1.5]).bfloat16()",
    "torch.tensor([1]).is_floating_point(), torch.tensor([1.]).is_floating_point()",
    "torch.is_floating_point(torch.tensor([1.], dtype=torch.float16))",
    "torch.tensor([1j]).is_complex()",
    "torch.tensor([1.]).element_size(), torch.tensor([1]).element_size()",
    "torch.float32.is_floating_point, torch.int32.is_signed, torch.uint8.is_signed",
    "torch.float16.itemsize, torch.complex128.itemsize",
    "torch.set_default_dtype(torch.float64); torch.tensor([1.5]).dtype, torch.ones(2).dtype",
    "torch.set_default_dtype(torch.float64); torch.tensor([1, 2]) * 0.5",
)

# ---------------------------------------------------------------- type promotion
group(
    "promotion",
    "(torch.tensor([1, 2]) + 1.5).dtype",
    "(torch.tensor([1, 2]) * 2).dtype",
    "(torch.tensor([1, 2], dtype=torch.int8) * 1000)",
    "(torch.tensor([1, 2], dtype=torch.int32) + 1).dtype",
    "(torch.tensor([1, 2], dtype=torch.float16) + 1.5).dtype",
    "(torch.tensor([1., 2.]) + torch.tensor([1, 2])).dtype",
    "(torch.tensor([1., 2.]) + torch.tensor([1., 2.], dtype=torch.float64)).dtype",
    "(torch.tensor([1., 2.]) + torch.tensor(1., dtype=torch.float64)).dtype",
    "(torch.tensor([1, 2]) + torch.tensor(1.5, dtype=torch.float64)).dtype",
    "(torch.tensor([1, 2], dtype=torch.int8) + torch.tensor(1000)).dtype",
    "(torch.tensor([1, 2], dtype=torch.int8) + torch.tensor([1000])).dtype",
    "(torch.tensor([True]) + torch.tensor([True])).dtype",
    "torch.tensor([True]) + torch.tensor([True])",
    "(torch.tensor([True]) + 1).dtype",
    "(torch.tensor([True]) + 1.5).dtype",
    "(torch.tensor([True]) * torch.tensor([3], dtype=torch.uint8)).dtype",
    "(torch.tensor([1], dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8)).dtype",
    "(torch.tensor([1], dtype=torch.int16) + torch.tensor([1], dtype=torch.int32)).dtype",
    "(torch.tensor([1.], dtype=torch.float16) + torch.tensor([1.], dtype=torch.bfloat16)).dtype",
    "(torch.tensor([1.], dtype=torch.float16) + torch.tensor([1.])).dtype",
    "(torch.tensor([1.], dtype=torch.bfloat16) * 3).dtype",
    "(torch.tensor([1.], dtype=torch.bfloat16) + torch.tensor(1.)).dtype",
    "(torch.tensor([1.]) + 1j).dtype",
    "(torch.tensor([1.], dtype=torch.float64) + 1j).dtype",
    "(torch.tensor([1]) + 1j).dtype",
    "(torch.tensor([1.]) + torch.tensor([1j], dtype=torch.complex128)).dtype",
    "(torch.tensor([1.], dtype=torch.float64) + torch.tensor(1j)).dtype",
    "(torch.tensor(1) + torch.tensor(1.5)).dtype",
    "(torch.tensor(1, dtype=torch.int8) + 200)",
    "(torch.tensor([1, 2]) / 2)",
    "(torch.tensor([1, 2]) / torch.tensor([2, 2])).dtype",
    "(torch.tensor([1, 2], dtype=torch.float64) / 2).dtype",
    "(torch.tensor([5, 7]) // 2)",
    "(torch.tensor([5., -7.]) // 2)",
    "(torch.tensor([5, -7]) % 3)",
    "(torch.tensor([5., -7.5]) % 2)",
    "(torch.tensor([2, 3]) ** 2).dtype",
    "(torch.tensor([2, 3]) ** 0.5)",
    "2 ** torch.tensor([1, 2])",
    "2.5 ** torch.tensor([1, 2])",
    "torch.tensor([2, 3]) ** torch.tensor([2., 1.])",
    "torch.tensor([2, 3]) ** -1",
    "(torch.tensor([1, 2]) > 1.5)",
    "(torch.tensor([1, 2], dtype=torch.uint8) - 3)",
    "torch.tensor([True, False]) - torch.tensor([True, True])",
    "-torch.tensor([True])",
    "~torch.tensor([True, False])",
    "~torch.tensor([5])",
    "torch.tensor([6]) & torch.tensor([3]), torch.tensor([6]) | 1, torch.tensor([6]) ^ 3",
    "torch.tensor([1.5]) & torch.tensor([1.5])",
    "t = torch.tensor([1, 2]); t += 1.5",
    "t = torch.tensor([1., 2.]); t += torch.tensor([1, 2]); t",
    "t = torch.tensor([1, 2]); t.add_(torch.tensor([0.5, 1.5]))",
    "t = torch.tensor([1., 2.], dtype=torch.float16); t.mul_(3.0)",
)

# ---------------------------------------------------------------- numpy conversion
group(
    "numpy",
    "a = np.eye(3,3); torch.from_numpy(a)",
    "b = np.array([1,2,3]); torch.from_numpy(b)",
    "d = torch.ones(2,2, dtype=torch.int64); d.numpy()",
    "torch.tensor([1., 2.]).numpy()",
    "torch.tensor([1., 2.]).numpy().dtype",
    "torch.tensor([1., 2.], dtype=torch.float16).numpy()",
    "torch.tensor([True]).numpy()",
    "a = np.zeros(3); t = torch.from_numpy(a); a[0] = 5; t",
    "a = np.zeros(3); t = torch.from_numpy(a); t[1] = 7; a",
    "t = torch.zeros(3); n = t.numpy(); n[2] = 1; t",
    "t = torch.zeros(3); n = t.numpy(); t.add_(1); n",
    "torch.from_numpy(np.array([1, 2], dtype=np.int16))",
    "torch.from_numpy([1, 2])",
    "torch.from_numpy(np.float32(2.5) * np.ones(2, dtype=np.float32))",
    "torch.tensor([1., 2.], requires_grad=True).numpy()",
    "torch.tensor([1., 2.], requires_grad=True).detach().numpy()",
    "torch.tensor([1.], dtype=torch.bfloat16).numpy()",
    "np.asarray(torch.tensor([1, 2]))",
    "torch.from_numpy(np.arange(6).reshape(2, 3)).T",
    "torch.tensor([[1, 2], [3, 4]]).tolist()",
    "torch.tensor(2.5).tolist(), torch.tensor(3).item(), torch.tensor([True]).item()",
    "torch.tensor([1.5, 2.5]).item()",
    "torch.tensor([1, 2], dtype=torch.bfloat16).tolist()",
    "float(torch.tensor([2.5])), int(torch.tensor(3.7)), bool(torch.tensor(0))",
    "float(torch.tensor([1., 2.]))",
    "bool(torch.tensor([1, 2]))",
    "len(torch.zeros(4, 2)), len(torch.tensor(1))",
    "[v for v in torch.tensor([[1, 2], [3, 4]])]",
    "list(torch.tensor(5))",
    "'%.3f' % torch.tensor(1/3), f'{torch.tensor(2.5):.2f}'",
    "import copy; t = torch.tensor([1., 2.], requires_grad=True); c = copy.deepcopy(t); c, c is t",
)

# ---------------------------------------------------------------- math and logic
group(
    "math",
    "torch.ones(2,2) * 7 -1",
    "torch.ones(2,2) + torch.tensor([[1,2], [3,4]])",
    "2 ** torch.tensor([[1,2], [3,4]])",
    "2 ** torch.tensor([[1,2], [3,4]]) > 5",
    "x = torch.tensor([[0.25, 0.5], [0.75, 1.0]]); torch.ones(2,2) @ x",
    "x = torch.tensor([[0.25, 0.5], [0.75, 1.0]]); torch.clamp(x*2-1, -0.5, 0.5)",
    "x = torch.tensor([[0.25, 0.5], [0.75, 1.0]]); torch.mean(x), torch.sum(x), torch.min(x)",
    "torch.set_printoptions(precision=8); x = torch.tensor([[0.1, 0.2], [0.3, 0.4]]); torch.ones(2,2) @ x, torch.mean(x), torch.sum(x)",
    "t = torch.tensor([1., 2., 3.]); t + 1, 1 + t, t - 1, 1 - t, t * 2, 2 * t, t / 2, 2 / t",
    "t = torch.tensor([1., 2., 3.]); t // 2, 7 // t, t % 2, 7 % t, t ** 2, 2 ** t, -t, +t",
    "t = torch.tensor([-1.5, 0., 2.]); abs(t), t.abs(), torch.abs(t)",
    "t = torch.tensor([0., 1., 2.]); torch.exp(t), torch.log(t), torch.sqrt(t)",
    "t = torch.tensor([0., 1., 2.]); torch.sin(t), torch.cos(t), torch.tanh(t), torch.sigmoid(t)",
    "t = torch.tensor([-1., 0., 2.]); torch.relu(t), t.relu(), torch.sign(t)",
    "t = torch.tensor([-2., -0.5, 0.5, 2.]); t.clamp(min=-1), t.clamp(max=1), t.clamp(-1, 1)",
    "torch.tensor([1, 5, 9]).clamp(2, 6)",
    "torch.tensor([1, 5, 9]).clamp(2.5, 6)",
    "torch.tensor([1., 2.]).clamp()",
    "torch.pow(torch.tensor([1., 2.]), 3), torch.pow(2, torch.tensor([1., 2.]))",
    "torch.maximum(torch.tensor([1, 5]), torch.tensor([3, 2])), torch.minimum(torch.tensor([1., 5.]), torch.tensor([3., 2.]))",
    "torch.tensor([1., 4.]).square(), torch.square(torch.tensor([3]))",
    "torch.tensor([1., 4.]).reciprocal(), torch.tensor([2]).reciprocal()",
    "torch.tensor([1.4, 1.5, 2.5, -0.5]).round(), torch.tensor([1.4, -1.4]).floor(), torch.tensor([1.4, -1.4]).ceil()",
    "torch.tensor([1, 2]).exp(), torch.tensor([4]).sqrt()",
    "torch.add(torch.tensor([1, 2]), torch.tensor([3, 4]), alpha=2)",
    "torch.sub(torch.tensor([1., 2.]), 1, alpha=3)",
    "torch.div(torch.tensor([7, -7]), 2, rounding_mode='floor'), torch.div(torch.tensor([7, -7]), 2, rounding_mode='trunc')",
    "torch.div(torch.tensor([7., -7.]), 2, rounding_mode='trunc')",
    "torch.div(torch.tensor([7]), 2, rounding_mode='round')",
    "torch.tensor([1., 2.]).mul(3), torch.tensor([1., 2.]).div(4), torch.tensor([1., 2.]).sub(1)",
    "torch.tensor([1, 2]) == torch.tensor([1, 3]), torch.tensor([1, 2]) != 1",
    "t = torch.tensor([1, 2, 3]); t < 2, t <= 2, t > 2, t >= 2",
    "torch.eq(torch.tensor([1.]), 1), torch.gt(torch.tensor([1, 2]), torch.tensor([2, 1]))",
    "torch.tensor([1, 2]) == 'a'",
    "torch.tensor([1, 2]) == None",
    "torch.logical_and(torch.tensor([True, False]), torch.tensor([True, True]))",
    "torch.logical_or(torch.tensor([0, 1]), torch.tensor([0, 0])), torch.logical_not(torch.tensor([0., 2.]))",
    "torch.logical_xor(torch.tensor([True, False]), torch.tensor([True, True]))",
    "torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([10, 20]))",
    "torch.where(torch.tensor([True, False]), torch.tensor([1., 2.]), 0.)",
    "torch.where(torch.tensor([1, 0]), torch.tensor([1, 2]), torch.tensor([10, 20]))",
    "torch.tensor([1, 2]) + torch.tensor([1, 2, 3])",
    "torch.ones(2, 3) * torch.ones(3, 2)",
    "torch.ones(4, 3, 2) * torch.ones(2, 3)",
    "torch.ones(4, 3, 2) * torch.ones(0)",
    "torch.ones(2, 3) == torch.ones(4)",
    "torch.tensor([1, 2]) + [1, 2]",
    "torch.tensor([1, 2]) + 'a'",
    "torch.tensor([1, 2]) @ 3",
    "torch.tensor([1., 2.]) / 0, torch.tensor([0.]) / 0, torch.tensor([-1.]) / 0",
    "torch.tensor([1, 2]) // 0",
    "torch.tensor([1, 2]) / 0",
    "torch.log(torch.tensor([-1., 0.])), torch.sqrt(torch.tensor([-1.]))",
    "torch.exp(torch.tensor([1000.])), torch.exp(torch.tensor([-1000.]))",
    "t = torch.tensor([float('nan'), 1., float('inf')]); t + 1, t * 0, torch.isnan(t), torch.isinf(t), torch.isfinite(t)",
    "torch.tensor([float('nan'), 1.]).max(), torch.tensor([float('nan'), 1.]).sum()",
    "torch.maximum(torch.tensor([float('nan'), 1.]), torch.tensor([0., 2.]))",
    "torch.relu(torch.tensor([float('nan'), -float('inf')]))",
    "torch.sigmoid(torch.tensor([-1000., 1000.])), torch.tanh(torch.tensor([-1000., 1000.]))",
    "torch.tensor([65504.], dtype=torch.float16) * 2",
    "torch.tensor([127], dtype=torch.int8) + 1",
    "torch.tensor([2.5]) ** torch.tensor([0.5])",
    "torch.tensor([-8.]) ** (1/3)",
    "torch.tensor([1., 2.]).pow(torch.tensor([[1.], [2.]]))",
)

# ---------------------------------------------------------------- broadcasting
group(
    "broadcast",
    "(torch.ones(4, 3, 2) * torch.ones(3, 2)).shape",
    "(torch.ones(3, 2) * torch.ones(3, 1)).shape",
    "(torch.ones(3, 2) * torch.ones(1, 2)).shape",
    "(torch.ones(3, 1) * torch.ones(1, 2)).shape",
    "(torch.ones(4, 3, 2) * torch.ones(3, 1)).shape",
    "torch.ones(3, 2) * torch.ones(2, 3)",
    "torch.ones(4, 3, 2) * torch.ones(3)",
    "torch.ones(4, 3, 2) * torch.ones(3).unsqueeze(1)",
    "(torch.ones(4, 3, 2) * torch.ones(5, 3).T.unsqueeze(2)) if False else torch.ones(4, 3, 2) * torch.ones(5, 3)",
    "(torch.ones(4, 3, 2).unsqueeze(0) * torch.ones(5, 3).view(5, 1, 3, 1)).shape",
    "torch.tensor([[1], [2]]) + torch.tensor([10, 20, 30])",
    "torch.tensor(5) + torch.tensor([1, 2])",
    "(torch.ones(0, 3) + torch.ones(3)).shape",
    "(torch.ones(2, 1, 3) - torch.ones(4, 1)).shape",
    "torch.ones(2, 3).expand(2, 2, 3).shape",
    "torch.tensor([1, 2, 3]).expand(2, 3)",
    "torch.tensor([[1], [2]]).expand(-1, 3)",
    "torch.tensor([1, 2, 3]).expand(2, 2)",
    "torch.ones(2, 3).expand(3)",
    "torch.tensor([1, 2]).expand_as(torch.ones(3, 2))",
)

# ---------------------------------------------------------------- in-place
group(
    "inplace",
    "a = torch.tensor([[0.5, 1.0], [1.5, 2.0]]); print(torch.exp(a)); print(a); print(torch.exp_(a)); print(a)",
    "torch.set_printoptions(precision=8); a = torch.tensor([[0.25, 0.5], [0.75, 1.0]]); print(torch.exp_(a)); a",
    "a = torch.ones(2, 2); b = torch.tensor([[0.5, 1.], [2., 4.]]); print(a + b); print(a); r = a.add_(b); print(a); r is a",
    "t = torch.tensor([1., 2.]); t.sub_(1), t.mul_(3), t.div_(2)",
    "t = torch.tensor([1., 2.]); t.add_(1, alpha=2)",
    "t = torch.tensor([1., 2.]); t.fill_(7)",
    "t = torch.tensor([1, 2]); t.fill_(2.7)",
    "t = torch.tensor([1., 2.]); t.zero_()",
    "t = torch.tensor([-2., 0.5, 3.]); t.clamp_(-1, 1); t",
    "t = torch.tensor([1., 2.]); t.copy_(torch.tensor([5, 6])); t",
    "t = torch.zeros(2, 2); t.copy_(torch.tensor([1., 2.])); t",
    "t = torch.zeros(2); t.copy_(torch.tensor([1., 2., 3.]))",
    "t = torch.tensor([1, 2]); t.mul_(1.5)",
    "t = torch.tensor([1, 2]); t /= 2",
    "t = torch.tensor([1., 2.]); t.add_(torch.ones(2, 2))",
    "t = torch.tensor([1., 2.]); t.exp_(); t.log_(); t.sqrt_(); t.neg_(); t.abs_()",
    "t = torch.tensor([-1., 2.]); t.relu_(); t",
    "t = torch.tensor([0., 2.]); t.sigmoid_(); t.tanh_()",
    "t = torch.tensor([1., 2.]); t.pow_(2)",
    "t = torch.tensor([1., 2.]); v0 = t._version; t.add_(1); t[0] = 3; v0, t._version",
    "x = torch.zeros(3, 2); y = x.view(2, 3); x.fill_(1); y",
    "x = torch.zeros(3, 2); y = x[1]; y.add_(5); x",
    "x = torch.zeros(3, 3); x[:, 1].fill_(2); x",
    "x = torch.zeros(2, 3); x.t()[0] = 9; x",
    "x = torch.zeros(4); v = x[1:3]; v.mul_(0).add_(4); x, v._version, x._version",
    "x = torch.arange(6.).view(2, 3); y = x.T; y[0, 1] = -1; x",
    "x = torch.arange(4.); x.unsqueeze(0).squeeze()[2] = 10; x",
    "e = torch.ones(1).expand(3); e.add_(1)",
    "x = torch.ones(3, requires_grad=True); g, = torch.autograd.grad(x.sum(), x); g.mul_(2)",
    "x = torch.ones(3, requires_grad=True); g, = torch.autograd.grad(x.sum(), x); g[0] = 5",
    "x = torch.ones(3, requires_grad=True); g, = torch.autograd.grad(x.sum(), x); h = g.clone(); h += 1; h",
    "x = torch.ones(3, requires_grad=True); x.sum().backward(); x.grad.add_(1); x.grad",
    "x = torch.ones(1); e = x.expand(3); e[0] = 5; x, e",
    "x = torch.ones(2, 1); e = x.expand(2, 3); e[0, 1] = 7; x.add_(1); x, e",
    "x = torch.ones(2, 1); e = x.expand(2, 3); e.mul_(2)",
    "x = torch.ones(2, 1); e = x.expand(2, 3); e.copy_(torch.zeros(2, 3))",
    "x = torch.ones(2, 1); e = x.expand(2, 3); e.fill_(2); x",
    "x = torch.ones(2, 1); e = x.expand(2, 3); e.zero_(); x",
    "x = torch.ones(3, 2).t(); e = x.unsqueeze(0).expand(2, 2, 3); x[0, 0] = 9; e[1]",
    "x = torch.arange(6.)[::2]; e = x.expand(2, 3); e.add_(1)",
)

# ---------------------------------------------------------------- views and shapes
group(
    "views",
    "x = torch.zeros(3, 2); y = x.view(2, 3); y",
    "x = torch.zeros(3, 2); y = x.t(); z = y.view(6)",
    "x = torch.zeros(3, 2); y = x.t(); z = y.reshape(6); x.fill_(1); print(y); z",
    "x = torch.zeros(3, 2); y = x.reshape(6); x.fill_(1); y",
    "torch.arange(6).view(2, -1), torch.arange(6).view(-1), torch.arange(6).view((3, 2))",
    "torch.arange(6).view(4, -1)",
    "torch.arange(6).view(-1, -1)",
    "torch.arange(6).view(5)",
    "torch.arange(6).reshape(3, 2), torch.arange(6).reshape(-1, 3)",
    "torch.arange(6).reshape(4)",
    "x = torch.arange(6).view(2, 3); x.is_contiguous(), x.t().is_contiguous(), x.t().contiguous().is_contiguous()",
    "x = torch.arange(6).view(2, 3); x.stride(), x.t().stride(), x.t().contiguous().stride()",
    "x = torch.arange(6).view(2, 3); x.data_ptr() == x.view(3, 2).data_ptr(), x.data_ptr() == x.t().contiguous().data_ptr()",
    "x = torch.arange(6).view(2, 3); c = x.contiguous(); c is x",
    "x = torch.arange(6).view(2, 3); x.t(), x.T, x.transpose(0, 1), x.permute(1, 0)",
    "x = torch.arange(24).view(2, 3, 4); x.permute(2, 0, 1).shape, x.transpose(0, 2).shape, x.T.shape, x.mT.shape",
    "torch.arange(24).view(2, 3, 4).t()",
    "torch.arange(6).view(2, 3).permute(0)",
    "torch.arange(6).view(2, 3).permute(0, 0)",
    "torch.arange(3).t(), torch.tensor(2).t()",
    "torch.t(torch.arange(4).view(2, 2)), torch.transpose(torch.arange(4).view(2, 2), 0, 1)",
    "x = torch.zeros(1,3,1); x.squeeze().shape, x.squeeze(0).shape, x.squeeze(1).shape, x.squeeze(2).shape",
    "x = torch.zeros(1,3,1); x.squeeze(-1).shape, x.squeeze((0, 2)).shape",
    "torch.zeros(1,3,1).squeeze(3)",
    "x = torch.zeros(3,2); x.unsqueeze(0).shape, x.unsqueeze(1).shape, x.unsqueeze(2).shape, x.unsqueeze(-1).shape",
    "torch.zeros(3,2).unsqueeze(3)",
    "torch.squeeze(torch.zeros(1, 2)), torch.unsqueeze(torch.tensor([1, 2]), 0)",
    "torch.tensor(5).unsqueeze(0), torch.tensor([5]).squeeze()",
    "x = torch.zeros(2, 3, 4); x.flatten().shape, x.flatten(1).shape, x.flatten(0, 1).shape, torch.flatten(x, -2).shape",
    "torch.tensor(3).flatten()",
    "torch.zeros(2, 3, 4).flatten(2, 1)",
    "torch.arange(6).unflatten(0, (2, 3))",
    "x = torch.zeros(2, 3); x.shape, x.size(), x.size(1), x.size(-1), x.dim(), x.ndim, x.numel()",
    "torch.zeros(2, 3).size(2)",
    "torch.Size([2, 3]), tuple(torch.Size([2, 3])), torch.Size([2, 3])[1], torch.Size([2, 3]).numel()",
    "torch.zeros(2, 3).shape == (2, 3), str(torch.zeros(2).shape), type(torch.zeros(2).shape).__name__",
    "torch.zeros(2, 3).shape + (4,)",
    "torch.arange(6).view(2, 3).repeat(2, 1)",
    "torch.arange(3).repeat(2, 2)",
    "torch.arange(6).narrow(0, 1, 3), torch.arange(6).view(2, 3).select(1, 2)",
    "torch.arange(6).view(2, 3).clone()",
    "torch.tensor([1, 2]).view_as(torch.zeros(2, 1)), torch.arange(4).reshape_as(torch.zeros(2, 2))",
    "torch.arange(4.).view(2, 2).t().view(4)",
)

# ---------------------------------------------------------------- indexing
group(
    "indexing",
    "x = torch.arange(12).view(3, 4); x[0], x[-1], x[1, 2], x[:, 1], x[1:, ::2]",
    "x = torch.arange(12).view(3, 4); x[..., 0], x[None].shape, x[:, None].shape, x[0, ...]",
    "x = torch.arange(12).view(3, 4); x[[0, 2]], x[torch.tensor([2, 0])]",
    "x = torch.arange(12).view(3, 4); x[x > 5]",
    "x = torch.arange(12).view(3, 4); x[[0, 1], [1, 2]]",
    "x = torch.arange(12).view(3, 4); x[torch.tensor([True, False, True])]",
    "x = torch.arange(12).view(3, 4); x[3]",
    "x = torch.arange(12).view(3, 4); x[0, 4]",
    "x = torch.arange(12).view(3, 4); x[0, 0, 0]",
    "x = torch.arange(12).view(3, 4); x[[5]]",
    "x = torch.arange(12).view(3, 4); x[:, ::-1]",
    "x = torch.arange(12).view(3, 4); x[1:2].shape, x[5:].shape, x[-10:1].shape",
    "x = torch.arange(5); x[torch.tensor(2)], x[torch.tensor([[0, 1], [2, 3]])]",
    "x = torch.arange(12).view(3, 4); v = x[1]; v[0] = 100; x",
    "x = torch.arange(12).view(3, 4); c = x[[1]]; c[0, 0] = 100; x",
    "x = torch.arange(12).view(3, 4); m = x[x > 9]; m[0] = -1; x",
    "x = torch.zeros(3, 4); x[0] = 1; x[:, 2] = torch.tensor([5., 6., 7.]); x",
    "x = torch.zeros(3, 4); x[x == 0] = 2.5; x",
    "x = torch.zeros(3); x[[0, 2]] = torch.tensor([1., 2.]); x",
    "x = torch.zeros(2, 2); x[0] = torch.tensor([1, 2, 3])",
    "x = torch.zeros(2, dtype=torch.int64); x[0] = 2.7; x",
    "x = torch.zeros(2); x[5] = 1",
    "x = torch.zeros(2, 3); x[1, :] = 4; x[..., -1] = 9; x",
    "x = torch.arange(6.); x[1:4] = 0; x",
    "x = torch.arange(6); x[torch.tensor([1, 3])] += 10; x",
)

# ---------------------------------------------------------------- reductions
group(
    "reduce",
    "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]]); x.sum(), x.sum(0), x.sum(1), x.sum(-1, keepdim=True)",
    "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]]); x.sum((0, 1)), x.sum(dim=(0,), keepdim=True)",
    "x = torch.tensor([[1, 2, 3], [4, 5, 6]]); x.sum(), x.sum(0).dtype, torch.tensor([True, True]).sum()",
    "x = torch.tensor([[1, 2], [3, 4]], dtype=torch.int8); x.sum().dtype, x.sum(dtype=torch.float32)",
    "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]]); x.mean(), x.mean(0), x.mean(1, keepdim=True), torch.mean(x, dim=-1)",
    "torch.tensor([1, 2]).mean()",
    "torch.tensor([1, 2]).mean(dtype=torch.float64)",
    "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]]); x.prod(), x.prod(0), x.prod(1, keepdim=True)",
    "torch.tensor([1, 2, 3]).prod()",
    "x = torch.tensor([[1., 5., 3.], [4., 2., 6.]]); x.max(), x.min()",
    "x = torch.tensor([[1., 5., 3.], [4., 2., 6.]]); x.max(0)",
    "x = torch.tensor([[1., 5., 3.], [4., 2., 6.]]); x.max(dim=1, keepdim=True)",
    "x = torch.tensor([[1., 5., 3.], [4., 2., 6.]]); torch.min(x, 1)",
    "x = torch.tensor([[1., 5., 3.], [4., 2., 6.]]); v, i = x.min(0); v, i, x.max(1).values, x.max(1).indices",
    "x = torch.tensor([[1, 5, 3], [4, 2, 6]]); x.max(1)",
    "torch.tensor([3., 1., 3.]).max(0)",
    "torch.tensor([]).max()",
    "torch.tensor(4.).max(0)",
    "torch.max(torch.tensor([1, 5]), torch.tensor([3, 2]))",
    "x = torch.tensor([[1., 5., 3.], [4., 2., 6.]]); x.argmax(), x.argmin(), x.argmax(0), x.argmin(1, keepdim=True)",
    "torch.argmax(torch.tensor([1., 3., 3.])), torch.argmax(torch.tensor([[1, 2]]), keepdim=True)",
    "x = torch.tensor([[1., 2., 4.], [3., 5., 9.]]); x.var(), x.std(), x.var(0), x.std(1, keepdim=True)",
    "x = torch.tensor([[1., 2., 4.], [3., 5., 9.]]); x.var(unbiased=False), x.std(correction=0), x.var(1, correction=2)",
    "torch.tensor([1., 2.]).var(0, True, True)",
    "torch.tensor([1.]).var(), torch.tensor([1.]).std()",
    "torch.tensor([1, 2]).std()",
    "torch.tensor([3., 4.]).norm(), torch.tensor([[3., 4.], [6., 8.]]).norm(dim=1)",
    "torch.softmax(torch.tensor([1., 2., 3.]), dim=0), torch.tensor([[1., 2.], [3., 5.]]).softmax(1)",
    "torch.log_softmax(torch.tensor([1., 2., 3.]), dim=0)",
    "torch.softmax(torch.tensor([1000., 0.]), 0), torch.log_softmax(torch.tensor([1000., 0.]), 0)",
    "torch.tensor([[1., 2.]]).sum(2)",
    "torch.tensor([[1., 2.]]).mean(-3)",
    "torch.tensor([1, 0]).all(), torch.tensor([1, 0]).any(), torch.tensor([[1., 4.], [3., 2.]]).amax(0)",
    "torch.zeros(0).sum(), torch.zeros(0).mean(), torch.zeros(0).prod()",
    "torch.tensor([1., 2., float('inf')]).mean(), torch.tensor([float('inf'), -float('inf')]).sum()",
)

# ---------------------------------------------------------------- matmul
group(
    "matmul",
    "a = torch.tensor([[1., 2.], [3., 4.]]); b = torch.tensor([[5., 6.], [7., 8.]]); a @ b, a.mm(b), torch.matmul(a, b)",
    "a = torch.tensor([[1., 2.], [3., 4.]]); v = torch.tensor([1., -1.]); a @ v, a.mv(v), v @ a",
    "v = torch.tensor([1., 2., 3.]); v @ v, v.dot(v), torch.dot(v, v)",
    "a = torch.arange(24.).view(2, 3, 4); b = torch.arange(8.).view(4, 2); (a @ b).shape, a @ b",
    "a = torch.arange(24.).view(2, 3, 4); b = torch.arange(40.).view(2, 4, 5); (a @ b).shape, torch.bmm(a, b)[1, 2]",
    "a = torch.arange(24.).view(2, 3, 4); b = torch.arange(4.); a @ b",
    "a = torch.arange(4.); b = torch.arange(24.).view(2, 4, 3); a @ b",
    "a = torch.ones(5, 1, 2, 3); b = torch.ones(4, 3, 2); (a @ b).shape",
    "torch.ones(2, 3) @ torch.ones(2, 3)",
    "torch.ones(2, 3).mm(torch.ones(2, 3))",
    "torch.ones(3) @ torch.ones(4)",
    "torch.ones(2, 3) @ torch.ones(4)",
    "torch.ones(2, 3).mv(torch.ones(4))",
    "torch.tensor(1.) @ torch.ones(2)",
    "torch.ones(2, 3) @ torch.ones(3, 2, dtype=torch.float64)",
    "torch.ones(2, 2, dtype=torch.int64) @ torch.ones(2, 2, dtype=torch.int64)",
    "torch.ones(3).dot(torch.ones(3, dtype=torch.float64))",
    "torch.ones(2, 2).mm(torch.ones(2))",
    "torch.ones(2, 3, 4).bmm(torch.ones(2, 5, 4))",
    "torch.ones(2, 3, 4) @ torch.ones(3, 4, 2)",
    "torch.outer(torch.tensor([1., 2.]), torch.tensor([1., 2., 3.]))",
    "torch.addmm(torch.ones(2), torch.ones(2, 3), torch.ones(3, 2))",
    "torch.ones(2, 2) @ [[1., 2.], [3., 4.]]",
)

# ---------------------------------------------------------------- grad_fn names and next_functions
_OPS = [
    ("add_scalar", "a + 2"), ("radd", "2 + a"), ("add_t", "a + b"), ("add_alpha", "torch.add(a, b, alpha=2)"),
    ("sub_scalar", "a - 2"), ("rsub", "1 - a"), ("sub_t", "a - b"), ("rsub_t", "torch.rsub(a, b)"),
    ("mul_scalar", "a * 3"), ("rmul", "3 * a"), ("mul_t", "a * b"), ("mul_const", "a * c"),
    ("div_scalar", "a / 2"), ("rdiv", "2 / a"), ("div_t", "a / b"), ("neg", "-a"),
    ("pow_scalar", "a ** 2"), ("pow_t", "a ** b"), ("rpow", "2 ** a"), ("square", "a.square()"),
    ("pow_half", "a.pow(0.5)"), ("exp", "a.exp()"), ("log", "a.log()"), ("sqrt", "a.sqrt()"),
    ("sin", "a.sin()"), ("cos", "a.cos()"), ("tanh", "a.tanh()"), ("sigmoid", "a.sigmoid()"),
    ("relu", "a.relu()"), ("abs", "a.abs()"), ("clamp", "a.clamp(0.5, 1.5)"),
    ("clamp_min", "a.clamp(min=1.)"), ("reciprocal", "a.reciprocal()"),
    ("maximum", "torch.maximum(a, b)"), ("minimum", "torch.minimum(a, b)"),
    ("where", "torch.where(a > 1.5, a, b)"), ("remainder", "a % 2"),
    ("sum", "a.sum()"), ("sum_dim", "a.sum(0)"), ("mean", "a.mean()"), ("mean_dim", "a.mean(0)"),
    ("prod", "a.prod()"), ("prod_dim", "a.prod(0)"), ("max", "a.max()"), ("min", "a.min()"),
    ("max_dim", "a.max(0).values"), ("min_dim", "a.min(0)[0]"), ("var", "a.var()"), ("std", "a.std()"),
    ("norm", "a.norm()"), ("softmax", "a.softmax(0)"), ("log_softmax", "a.log_softmax(0)"),
    ("view", "a.view(3, 1)"), ("reshape", "a.reshape(3, 1)"), ("flatten", "m.flatten()"),
    ("reshape_nc", "m.t().reshape(-1)"), ("t", "m.t()"), ("T", "m.T"), ("transpose", "m.transpose(0, 1)"),
    ("permute", "m.permute(1, 0)"), ("squeeze", "a.view(1, 3).squeeze()"), ("squeeze_dim", "a.view(1, 3).squeeze(0)"),
    ("unsqueeze", "a.unsqueeze(0)"), ("expand", "a.expand(2, 3)"), ("clone", "a.clone()"),
    ("contiguous", "m.t().contiguous()"), ("select", "a[0]"), ("slice", "a[1:]"), ("index", "a[[0, 2]]"),
    ("mask", "a[a > 1]"), ("alias", "a[:]"), ("cat", "torch.cat([a, b])"), ("stack", "torch.stack([a, b])"),
    ("mm", "m @ m.t()"), ("mv", "m @ a[:2]"), ("dot", "a @ b"), ("vecmat", "a[:2] @ m"),
    ("bmm", "m.expand(2, 2, 3) @ m.t().expand(2, 3, 2)"), ("matmul3d2d", "m.expand(2, 2, 3) @ m.t()"),
    ("addmm", "torch.addmm(a[:2], m.t(), m)"), ("to_double", "a.double()"), ("repeat", "a.repeat(2)"),
    ("narrow", "a.narrow(0, 1, 2)"), ("outer", "torch.outer(a, b)"),
]
group(
    "gradfn",
    *[f"a = torch.tensor([0.5, 1.25, 2.0], requires_grad=True); b = torch.tensor([1.5, 0.75, 3.0], "
      f"requires_grad=True); c = torch.tensor([2., 3., 4.]); m = torch.tensor([[1., 2., 3.], [4., 5., "
      f"6.]], requires_grad=True)\nr = {expr}\nr, nf(r)" for _, expr in _OPS],
)
group(
    "gradfn_values",
    *[f"a = torch.tensor([0.5, 1.25, 2.0], requires_grad=True); b = torch.tensor([1.5, 0.75, 3.0], "
      f"requires_grad=True); m = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n"
      f"c = torch.tensor([2., 3., 4.])\nr = {expr}\n((r.float() + 1) ** 2).sum().backward()\n"
      f"a.grad, b.grad, m.grad" for _, expr in _OPS if _ != "mask"],
)

# ---------------------------------------------------------------- autograd basics
group(
    "autograd",
    "torch.set_printoptions(precision=8); x = torch.linspace(0, 2, steps=21, requires_grad=True); x",
    "torch.set_printoptions(precision=8); x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; y",
    "x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; y.grad_fn",
    "x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; y.grad_fn.next_functions",
    "x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; y.grad_fn.next_functions[0][0].next_functions",
    "x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions",
    "x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; out = y.sum(); out.backward(); out",
    "x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; out = y.sum(); out.backward(); y.grad",
    "x = torch.linspace(0, 2, steps=21, requires_grad=True); y = 3*x + 2; out = y.sum(); out.backward(); x.grad",
    "torch.set_printoptions(precision=8); n = 21; x = torch.linspace(0, 2, steps=n, requires_grad=True); m = torch.linspace(1, 3, n, requires_grad=True); y = m*x + 2; y.backward(torch.ones(n)); x.grad, m.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); acc = x.grad_fn; acc, x.is_leaf, (x * 2).is_leaf",
    "x = torch.tensor([1., 2.], requires_grad=True); n = (x * 2).grad_fn.next_functions[0][0]; n.name(), type(n).__name__, n.variable is x",
    "x = torch.tensor([1., 2.], requires_grad=True); n1 = (x * 2).grad_fn.next_functions[0][0]; n2 = (x + 1).grad_fn.next_functions[0][0]; n1 is n2",
    "x = torch.tensor([1., 2.], requires_grad=True); (x * 2).grad_fn.name(), (x * 2).grad_fn.next_functions[0][0].next_functions",
    "x = torch.tensor([1., 2.]); y = x * 2; y.requires_grad, y.grad_fn, y.is_leaf",
    "x = torch.tensor([1, 2]); x.requires_grad_()",
    "x = torch.tensor([1, 2]); x.requires_grad = True",
    "torch.zeros(2, dtype=torch.int64, requires_grad=True)",
    "x = torch.tensor([1., 2.]); x.requires_grad_(); x",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.requires_grad = False",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.requires_grad_(True); y.requires_grad",
    "x = torch.tensor([1., 2.], requires_grad=True); x.requires_grad = 1",
    "x = torch.tensor([1., 2.], requires_grad=True); d = x.detach(); d, d.requires_grad, d.is_leaf, d.data_ptr() == x.data_ptr()",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.detach_(); y, y.grad_fn",
    "x = torch.tensor([1., 2.], requires_grad=True); x.data, x.data.requires_grad",
    "x = torch.tensor([1., 2.], requires_grad=True); x.grad",
    "x = torch.tensor(3., requires_grad=True); y = x ** 2; y.backward(); x.grad",
    "x = torch.tensor(3., requires_grad=True); (x ** 2).backward(); (x ** 2).backward(); x.grad",
    "x = torch.tensor(3., requires_grad=True); y = x ** 2; y.backward(retain_graph=True); y.backward(); x.grad",
    "x = torch.tensor(3., requires_grad=True); y = x ** 2; y.backward(); y.backward()",
    "x = torch.tensor(3., requires_grad=True); y = x.exp(); y.backward(); y.grad_fn._saved_result",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.backward()",
    "x = torch.tensor([1., 2.]); x.sum().backward()",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.backward(torch.tensor([1., 1., 1.]))",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.backward(torch.tensor([1., -1.])); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.retain_grad(); y.sum().backward(); y.grad, y.retains_grad, x.retains_grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; z = y ** 2; z.retain_grad(); z.sum().backward(); z.grad, x.grad",
    "x = torch.tensor([1., 2.]); x.retain_grad()",
    "x = torch.tensor([1., 2.], requires_grad=True); x.add_(1)",
    "x = torch.tensor([1., 2.], requires_grad=True); x[0] = 5",
    "x = torch.tensor([1., 2.], requires_grad=True); x += 1",
    "x = torch.tensor([1., 2.], requires_grad=True); x.zero_()",
    "x = torch.tensor([1., 2.], requires_grad=True); x[0].mul_(2)",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    x.add_(1)\nx, x.grad_fn, x._version",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x * 2; h.add_(1); h, nf(h), h._version",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x * 2; h[0] = 5.0; h, nf(h)",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x * 2; h.zero_(); h, nf(h)",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x * 2; h.mul_(3); h.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x * 1; h[0] = 5.0; h.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); v = torch.tensor(3., requires_grad=True); h = x * 1; h[1] = v * 2; (h * h).sum().backward(); x.grad, v.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x.exp(); h.add_(1); h.sum().backward()",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x.exp(); y = h * 2; h.add_(1); y.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); a = x * 1; y = a * a; a.add_(1); y.sum().backward()",
    "x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True); a = x * 1; y = a.sin(); a.t().mul_(2); y.sum().backward()",
    "x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True); a = x.sqrt(); b = a + 0; a.mul_(2); b.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); a = x * 1; v = a[0]; v.mul_(3); a, nf(a), a.sum().backward(), x.grad",
    "a = torch.tensor([1., 2., 3.]); v = a[1]; v.mul_(5); a, v, v._version, a._version",
    "x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True); w = torch.tensor([5., 6.], requires_grad=True); a = x * 2; v = a.t()[0]; v.mul_(w); nf(a), nf(v), (a * a).sum().backward(), x.grad, w.grad",
    "z = torch.zeros(3); w = torch.tensor([1., 2.], requires_grad=True); z[1:].add_(w); z, nf(z), z.sum().backward(), w.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = (x * 3).sum(); torch.autograd.grad(y, x)",
    "x = torch.tensor([1., 2.], requires_grad=True); z = torch.tensor([3., 4.], requires_grad=True); y = (x * z).sum(); torch.autograd.grad(y, [x, z])",
    "x = torch.tensor([1., 2.], requires_grad=True); z = torch.tensor([3., 4.], requires_grad=True); y = (x * 2).sum(); torch.autograd.grad(y, [x, z])",
    "x = torch.tensor([1., 2.], requires_grad=True); z = torch.tensor([3., 4.], requires_grad=True); y = (x * 2).sum(); torch.autograd.grad(y, [x, z], allow_unused=True)",
    "x = torch.tensor([1., 2.], requires_grad=True); y = (x * 2).sum(); g = torch.autograd.grad(y, x); x.grad, g",
    "x = torch.tensor([1., 2.]); y = x.sum(); torch.autograd.grad(y, x)",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; torch.autograd.grad(y, x, torch.ones(2))",
    "x = torch.tensor([1., 2.], requires_grad=True); y = (x ** 2).sum(); torch.autograd.backward(y); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); a = (x ** 2).sum(); b = (x * 3).sum(); torch.autograd.backward([a, b]); x.grad",
    "x = torch.tensor(2., requires_grad=True); y = x ** 3; g, = torch.autograd.grad(y, x, create_graph=True); g, g.grad_fn is not None, torch.autograd.grad(g, x)",
    "x = torch.tensor(2., requires_grad=True); y = x ** 3; y.backward(create_graph=True); x.grad",
    "x = torch.tensor(2., requires_grad=True); y = x.sin() * x; g, = torch.autograd.grad(y, x, create_graph=True); g2, = torch.autograd.grad(g, x, create_graph=True); g3, = torch.autograd.grad(g2, x); g, g2, g3",
    "x = torch.tensor([1., 2.], requires_grad=True); y = (x.exp() * x).sum(); g, = torch.autograd.grad(y, x, create_graph=True); g.sum().backward(); x.grad",
    "x = torch.tensor(3., requires_grad=True); w = x * 1; y = w * w; y.backward(); w.grad",
    "x = torch.tensor(1., requires_grad=True); y = x * 2; z = y * 3; z.backward(); y.is_leaf, z.grad_fn.name()",
    "x = torch.tensor([1., 2., 3.], requires_grad=True); a = x * 2; b = x * 3; (a + b).sum().backward(); x.grad",
    "x = torch.tensor([1., 2., 3.], requires_grad=True); (x * x).sum().backward(); x.grad",
    "x = torch.tensor([1., 2., 3.], requires_grad=True); y = x.max(); y.backward(); x.grad",
    "x = torch.tensor([3., 1., 3.], requires_grad=True); x.max().backward(); x.grad",
    "x = torch.tensor([[3., 1.], [3., 5.]], requires_grad=True); x.max(0).values.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); torch.maximum(x, torch.tensor([1., 1.])).sum().backward(); x.grad",
    "x = torch.tensor([-1., 0., 2.], requires_grad=True); x.relu().sum().backward(); x.grad",
    "x = torch.tensor([-1., 0., 2.], requires_grad=True); x.abs().sum().backward(); x.grad",
    "x = torch.tensor([-1., 0., 1., 2.], requires_grad=True); x.clamp(0, 1).sum().backward(); x.grad",
    "x = torch.tensor([0., 1.], requires_grad=True); x.sqrt().sum().backward(); x.grad",
    "x = torch.tensor([0., 1.], requires_grad=True); x.log().sum().backward(); x.grad",
    "x = torch.tensor([0., 2.], requires_grad=True); (x ** 0.5).sum().backward(); x.grad",
    "x = torch.tensor([0., 2.], requires_grad=True); (x ** 0).sum().backward(); x.grad",
    "x = torch.tensor([0., 2.], requires_grad=True); (x ** torch.tensor([2., 0.])).sum().backward(); x.grad",
    "x = torch.tensor([float('nan'), 1.], requires_grad=True); (x * 2).sum().backward(); x.grad",
    "x = torch.tensor([float('inf'), 1.], requires_grad=True); (x * x).sum().backward(); x.grad",
    "x = torch.tensor([1000., 1.], requires_grad=True); x.exp().sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.to(torch.float64) * 2; y.sum().backward(); x.grad, x.grad.dtype",
    "x = torch.tensor([1., 2.], requires_grad=True); x.grad = torch.tensor([5., 5.]); (x * 2).sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); x.grad = torch.tensor([5., 5., 5.])",
    "x = torch.tensor([1., 2.], requires_grad=True); x.grad = torch.tensor([5, 5])",
    "x = torch.tensor([1., 2.], requires_grad=True); (x * 2).sum().backward(); x.grad = None; (x * 3).sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); (x * 2).sum().backward(); g = x.grad; (x * 3).sum().backward(); g, g is x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * torch.tensor([3., 4.]); y.grad_fn._saved_self, y.grad_fn._saved_other",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 3; y.grad_fn._saved_other, y.grad_fn._saved_self",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x ** 2; y.grad_fn._saved_self, y.grad_fn._saved_exponent",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.exp(); y.grad_fn._saved_result",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.clamp(0.); y.grad_fn._saved_min, y.grad_fn._saved_max",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.clamp(0., 1.); y.grad_fn._saved_min, y.grad_fn._saved_max, y.grad_fn._saved_self",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x ** 2; y.sum().backward(); y.grad_fn._saved_self",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x ** 2; y.sum().backward(); y.grad_fn._saved_exponent",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.exp(); y.sum().backward(retain_graph=True); y.grad_fn._saved_result",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.sum(); y.grad_fn._saved_self_sym_sizes",
    "x = torch.tensor([[1., 2.]], requires_grad=True); y = x.sum(1, keepdim=True); y.grad_fn._saved_dim, y.grad_fn._saved_keepdim",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.exp(); y.grad_fn._saved_nothing",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.tanh(); y.grad_fn._saved_result",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x.sigmoid(); y.grad_fn._saved_result",
    "x = torch.tensor([1., 2.], requires_grad=True); y = 1 - x; y.grad_fn._saved_alpha, y.grad_fn._saved_other",
)

# ---------------------------------------------------------------- hooks
group(
    "hooks",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; h = y.register_hook(lambda g: print('hook', g)); y.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; h = y.register_hook(lambda g: g * 10); y.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x.register_hook(lambda g: g + 1); (x * 2).sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x.register_hook(lambda g: g + 1); h.remove(); (x * 2).sum().backward(); x.grad",
    "x = torch.tensor([1., 2.]); x.register_hook(lambda g: g)",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.grad_fn.register_hook(lambda gi, go: print('node', gi, go)); y.sum().backward()",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.grad_fn.register_prehook(lambda go: print('pre', go)); y.sum().backward()",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, None)); y.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.grad_fn.register_prehook(lambda go: (go[0] * 10,)); y.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, None)); torch.autograd.grad(y.sum(), x, create_graph=True)",
    "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.grad_fn.register_prehook(lambda go: (go[0] * 10,)); torch.autograd.grad(y.sum(), x)",
    "x = torch.ones(2, requires_grad=True); y = x * torch.ones(2, requires_grad=True)\ndef bad(gi, go): return (gi[0],)\ny.grad_fn.register_hook(bad); y.sum().backward()",
    "x = torch.ones(2, requires_grad=True); y = x * 2\ndef bad(go): return (go[0], go[0])\ny.grad_fn.register_prehook(bad); y.sum().backward()",
    "x = torch.ones(2, requires_grad=True); y = x * 2; y.grad_fn.register_hook(lambda gi, go: gi[0]); y.sum().backward()",
    "x = torch.ones(2, requires_grad=True); y = x * 2; y.grad_fn.register_prehook(lambda go: [go[0]]); y.sum().backward()",
    "x = torch.ones(2, requires_grad=True); y = x * 2; y.grad_fn.register_hook(lambda gi, go: (torch.ones(3), None)); y.sum().backward()",
    "x = torch.ones(2, requires_grad=True); y = x * 2; y.grad_fn.register_hook(lambda gi, go: None); y.sum().backward(); x.grad",
    # the order nodes run in: a diamond, and leaves reached along paths of different lengths
    "x = torch.tensor([1., 2.], requires_grad=True); a = x * 2; b = a.exp(); c = a.sin(); d = b + c; order = []\nfor n in (d.grad_fn, b.grad_fn, c.grad_fn, a.grad_fn): n.register_prehook(lambda go, n=n: order.append(n.name()))\nd.sum().backward(); order",
    "w = torch.ones(2, requires_grad=True); v = torch.ones(2, requires_grad=True); e = (w * 3).exp(); h = e * v; p = v * w; s = h.sum() + p.sum(); order = []\nnodes = {'s': s.grad_fn, 'h': h.grad_fn, 'e': e.grad_fn, 'w3': e.grad_fn.next_functions[0][0], 'p': p.grad_fn, 'v': p.grad_fn.next_functions[0][0], 'w': p.grad_fn.next_functions[1][0]}\nfor name, n in nodes.items(): n.register_prehook(lambda go, name=name: order.append(name))\ns.backward(); order",
)

# ---------------------------------------------------------------- grad modes
group(
    "gradmode",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\ny, y.requires_grad, torch.is_grad_enabled()",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    with torch.enable_grad():\n        y = x * 2\ny",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.set_grad_enabled(False):\n    y = x * 2\ny, torch.is_grad_enabled()",
    "x = torch.tensor([1., 2.], requires_grad=True)\ntorch.set_grad_enabled(False)\ny = x * 2\ntorch.set_grad_enabled(True)\ny, (x * 2).requires_grad",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.inference_mode():\n    y = x * 2\ny, y.requires_grad",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.inference_mode(False):\n    y = x * 2\ny",
    "x = torch.tensor([1., 2.], requires_grad=True)\n@torch.no_grad()\ndef f(t):\n    return t * 2\nf(x), f.__name__",
    "x = torch.tensor([1., 2.], requires_grad=True)\n@torch.enable_grad()\ndef f(t):\n    return t * 2\nwith torch.no_grad():\n    y = f(x)\ny",
    "x = torch.tensor([1., 2.], requires_grad=True)\n@torch.set_grad_enabled(False)\ndef f(t):\n    return t * 2\nf(x), torch.is_grad_enabled()",
    "x = torch.tensor([1., 2.], requires_grad=True)\n@torch.inference_mode()\ndef f(t):\n    return t * 2\nf(x)",
    "x = torch.tensor([1., 2.], requires_grad=True)\n@torch.inference_mode\ndef f(t):\n    return t * 2\nf(x)",
    "x = torch.tensor([1., 2.], requires_grad=True)\n@torch.no_grad\ndef f(t):\n    return t * 2\nf(x)",
    "with torch.no_grad():\n    a = torch.is_grad_enabled()\n    with torch.enable_grad():\n        b = torch.is_grad_enabled()\n    c = torch.is_grad_enabled()\na, b, c, torch.is_grad_enabled()",
    "try:\n    with torch.no_grad():\n        raise ValueError('x')\nexcept ValueError:\n    pass\ntorch.is_grad_enabled()",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    x *= 2\nx, x.is_leaf",
    "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    x -= 0.1 * torch.tensor([1., 1.])\n    x.grad = None\nx",
)

# ---------------------------------------------------------------- jacobian and hessian
group(
    "functional",
    "def f(x, y):\n    return 3*x + 1 + 2*y**2 + x*y\nfor x in [0.,1.]:\n    for y in [0.,1.]:\n        print('x =',x, 'y = ',y)\n        inputs = (torch.tensor([x]), torch.tensor([y]))\n        print(torch.autograd.functional.jacobian(f, inputs),'\\n')",
    "def f(x, y):\n    return 3*x + 1 + 2*y**2 + x*y\ninputs = (torch.tensor([0.]), torch.tensor([0.]))\ntorch.autograd.functional.hessian(f, inputs)",
    "def f(x, y):\n    return 3*x + 1 + 2*y**2 + x*y\ninputs = (torch.tensor([1.]), torch.tensor([1.]))\ntorch.autograd.functional.hessian(f, inputs)",
    "torch.autograd.functional.jacobian(lambda t: t ** 2, torch.tensor([1., 2., 3.]))",
    "torch.autograd.functional.hessian(lambda t: (t ** 3).sum(), torch.tensor([1., 2.]))",
    "torch.autograd.functional.jacobian(lambda t: t.sum(), torch.tensor([1., 2.]))",
    "torch.autograd.functional.jacobian(lambda t: t @ torch.tensor([[1., 2.], [3., 4.]]), torch.tensor([1., 2.]))",
    "torch.autograd.functional.jacobian(lambda t: (t, t * 2), torch.tensor([1., 2.]))",
    "torch.autograd.functional.jacobian(lambda a, b: a * b, (torch.tensor([1., 2.]), torch.tensor([3., 4.])))",
    "torch.autograd.functional.jacobian(lambda t: torch.ones(2), torch.tensor([1., 2.]))",
    "torch.autograd.functional.jacobian(lambda t: t.exp(), torch.tensor([[0., 1.]]))",
    "torch.autograd.functional.hessian(lambda t: t.prod(), torch.tensor([1., 2., 3.]))",
    "torch.autograd.functional.hessian(lambda t: t ** 2, torch.tensor([1., 2.]))",
    "torch.autograd.functional.hessian(lambda a, b: (a * b ** 2).sum(), (torch.tensor([1.]), torch.tensor([2.])))",
    "torch.autograd.functional.jacobian(lambda t: t ** 2, torch.tensor([1., 2.], dtype=torch.float64))",
)

# ---------------------------------------------------------------- lecture regression graph
group(
    "lecture",
    "x = torch.linspace(-3, 3, 7, dtype=torch.float64); y = torch.sin(x)\n"
    "X = torch.stack([torch.ones(7, dtype=torch.float64), x, x**2, x**3], 1)\n"
    "b = torch.tensor([[0.1], [0.2], [0.3], [0.4]], dtype=torch.float64, requires_grad=True)\n"
    "yp = (X @ b).squeeze(); loss = (yp - y).pow(2).sum(); loss.backward(); loss.item(), b.grad, nf(loss), nf(loss.grad_fn.next_functions[0][0])",
    "x = torch.linspace(-3, 3, 7, dtype=torch.float64); y = torch.sin(x).unsqueeze(1)\n"
    "X = torch.stack([torch.ones(7, dtype=torch.float64), x, x**2, x**3], 1)\n"
    "b = torch.zeros(4, 1, dtype=torch.float64, requires_grad=True)\n"
    "for i in range(200):\n    loss = (X @ b - y).pow(2).sum()\n    if i % 50 == 0:\n        print(f'Step: {i}, loss: {loss.item()}')\n    loss.backward()\n    with torch.no_grad():\n        b -= 1e-4 * b.grad\n        b.grad = None\nb",
    "x = torch.linspace(-1, 1, 5, dtype=torch.float64)\n"
    "a, b, c, d = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.1, 0.2, 0.3, 0.4))\n"
    "loss = ((a + b * x + c * x**2 + d * x**3 - x.sin()) ** 2).sum(); loss.backward()\n"
    "n = loss.grad_fn; names = []\nwhile n is not None and n.next_functions:\n    names.append(n.name()); n = n.next_functions[0][0]\nnames, a.grad, d.grad",
)

# ---------------------------------------------------------------- gradients at the edges
group(
    "gradient-edges",
    "x = torch.tensor([1., 2.], requires_grad=True)\nout = (3*x + 2).sum(); out.backward(); out.backward()",
    "x = torch.tensor([1., 2.], requires_grad=True)\ny = x / 2; y.grad_fn._saved_other",
    "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * 2; y.sum().backward(); y.grad_fn._saved_other",
    "x = torch.tensor([1., 2.], requires_grad=True)\ny = x + 2; y.sum().backward(); y.sum().backward(); x.grad",
    "x = torch.tensor([1., 2.], requires_grad=True)\ny = 2 ** x; y.grad_fn._saved_self, y.grad_fn._saved_exponent",
    "a = torch.tensor([0., 2., 3.], requires_grad=True); a.prod().backward(); a.grad",
    "a = torch.tensor([0., 0., 3.], requires_grad=True); a.prod().backward(); a.grad",
    "a = torch.tensor([[0., 2.], [3., 0.]], requires_grad=True); a.prod(1).sum().backward(); a.grad",
    "a = torch.tensor([[0., 0.], [3., 4.]], requires_grad=True); a.prod(0, keepdim=True).sum().backward(); a.grad",
    "a = torch.tensor(2., requires_grad=True); (a.clamp(max=1.) - 1.5).sqrt().backward(); a.grad",
    "a = torch.tensor([-1., 2.], requires_grad=True); (a.relu() - 1.5).sqrt().sum().backward(); a.grad",
    "a = torch.tensor([2., 1.], requires_grad=True); (a.max() - 3).sqrt().backward(); a.grad",
    "a = torch.tensor([[1., 5.], [7., 2.]], requires_grad=True); (a.max(1).values - 6).sqrt().sum().backward(); a.grad",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); b = torch.tensor([2., 2., float('nan')], requires_grad=True)\n"
    "torch.maximum(a, b).sum().backward(); a.grad, b.grad",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); b = torch.tensor([2., 2., float('nan')], requires_grad=True)\n"
    "torch.minimum(a, b).sum().backward(); a.grad, b.grad",
    "a = torch.tensor([1., 1.], requires_grad=True); a.std().backward(); a.grad",
    "a = torch.tensor(0., requires_grad=True); b = torch.tensor(0., requires_grad=True); (a ** b).backward(); a.grad, b.grad",
    "a = torch.tensor(0., requires_grad=True); (a ** 0 * float('inf')).backward(); a.grad",
)

# ---------------------------------------------------------------- stepwise functions
group(
    "stepwise",
    "x = torch.tensor([2.5, -0.5, 1.5, float('nan')]); x.round(), x.floor(), x.ceil(), x.trunc(), x.sign()",
    "x = torch.tensor([1, -2]); x.round(), x.floor(), x.ceil(), x.trunc(), x.sign()",
    "torch.tensor([True, False]).sign()",
    "torch.tensor([True, False]).round()",
    "torch.tensor([True, False]).floor()",
    "a = torch.tensor([2.5, -1.5], requires_grad=True); a.round(), a.floor(), a.ceil(), a.trunc(), a.sign()",
    "a = torch.tensor([2.567, -1.234], requires_grad=True); a.round(decimals=1)",
    "a = torch.tensor(2.5, requires_grad=True); y = a.round() + a; y.backward(); nf(y), a.grad",
    "a = torch.tensor([2.5, 1.], requires_grad=True); (a.floor() * float('inf')).sum().backward(); a.grad",
)

# ---------------------------------------------------------------- losses and softmax shapes
group(
    "loss-shapes",
    "torch.nn.functional.softmax(torch.tensor([[0.0, 0.55]]))",
    "torch.nn.functional.log_softmax(torch.tensor([1., 2.]))",
    "torch.nn.functional.softmax(torch.ones(2, 3, 2, 1))[0, :, 0, 0]",
    "torch.softmax(torch.tensor(1.), 0)",
    "a = torch.tensor([[0.5, 0.1]], requires_grad=True); nf(torch.nn.functional.cross_entropy(a, torch.tensor([0])))",
    "x = torch.tensor([[float('inf'), 1.], [0.5, 1.]]); torch.nn.functional.cross_entropy(x, torch.tensor([0, 1]), ignore_index=0)",
    "a = torch.tensor([1., 2.], requires_grad=True)\n"
    "l = torch.nn.functional.mse_loss(a, torch.tensor([[1.], [3.]])); l.backward(); l, nf(l), nf(l.grad_fn.next_functions[0][0]), a.grad",
    "a = torch.tensor([1., 2.], requires_grad=True)\n"
    "l = torch.nn.functional.l1_loss(a, torch.tensor([[1.], [3.]])); l.backward(); l, nf(l.grad_fn.next_functions[0][0].next_functions[0][0]), a.grad",
    "a = torch.ones(2, 2, requires_grad=True); nf(torch.nn.functional.mse_loss(a, torch.tensor([1., 3.])))",
    "torch.nn.functional.mse_loss(torch.tensor([1., 2.]), torch.tensor([1., 3., 4.]))",
    "torch.nn.functional.mse_loss(torch.tensor([1.5, 2.]), torch.tensor([1, 2]))",
    "torch.nn.functional.mse_loss(torch.tensor([1.5, 2.]), torch.tensor([1., 2.], dtype=torch.float64))",
    "torch.nn.functional.mse_loss(torch.tensor([1, 2]), torch.tensor([1, 3]))",
)

# ---------------------------------------------------------------- 0-d tensors and dims
group(
    "zero-dim",
    "a = torch.tensor(1.5); a.sum(0), a.mean(0), a.prod(0), a.sum(-1, keepdim=True), a.sum((0,))",
    "torch.tensor(1.5).var(0)",
    "torch.tensor(1.5).std(-1)",
    "torch.tensor(1.5).sum(1)",
    "a = torch.tensor(1.5, requires_grad=True); a.sum(0).backward(); a.prod(0).backward(); a.grad",
    "torch.tensor(1.).size(0)",
    "torch.tensor(1.).size(-1)",
    "torch.tensor(1.5).flatten(1)",
    "torch.tensor(1.5).mT",
    "torch.tensor([1.5]).mT",
    "torch.hstack([torch.tensor(1.), torch.tensor(2.)])",
    "torch.vstack([torch.tensor(1.), torch.tensor(2.)])",
)

# ---------------------------------------------------------------- misuse and its errors
group(
    "misuse",
    "torch.tensor([1., 2.]) - torch.tensor([True, False])",
    "torch.tensor([True]) - torch.tensor([True])",
    "1 - torch.tensor([True])",
    "torch.tensor([True]).sub(1.)",
    "torch.tensor([True]).relu()",
    "torch.tensor([True]).abs()",
    "torch.tensor([1, -2]).relu()",
    "torch.ones(2, 2, dtype=torch.int64).softmax(0)",
    "torch.tensor([1, 2]).log_softmax(0)",
    "torch.tensor([True, False]).softmax(0)",
    "torch.where(torch.tensor([True, False]), torch.tensor([1., 2.]), torch.tensor([1., 2., 3.]))",
    "torch.where(torch.tensor([True, False, True]), torch.tensor([1., 2.]), torch.tensor([1., 2.]))",
    "torch.tensor([[1.]]).mv(torch.tensor([[2.]]))",
    "torch.ones(2, 2, 2).mv(torch.ones(2))",
    "torch.bmm(torch.ones(2, 1), torch.ones(2, 1))",
    "torch.ones(1, 2).mm(torch.tensor([[True], [False]]))",
    "torch.ones(1, 2) @ torch.tensor([[True], [False]])",
    "a = torch.tensor([1., 2.], requires_grad=True); float(a[0]), int(a[0]), a[0].item()",
    "torch.tensor([4., 5.])[True]",
    "torch.tensor([4., 5.])[False]",
    "torch.tensor([4., 5.])[0.5]",
    "torch.tensor([[4., 5.]])[0, True]",
    "a = torch.tensor([4., 5.], requires_grad=True); a[True].sum().backward(); a.grad",
    "torch.tensor([1., 2.])[torch.tensor([True, False, True])]",
    "torch.ones(2, 3)[:, torch.tensor([True, False])]",
    "torch.cat([])",
    "torch.tensor([5.]).expand(-1, 3)",
    "torch.tensor(2.).permute()",
    "3 ** torch.tensor([-1, 2, 0])",
    "(-1) ** torch.tensor([-1, -2, 3])",
    "0 ** torch.tensor([-1, 2])",
    "torch.tensor([2]) ** torch.tensor([-1])",
    "torch.tensor(2) ** -1",
    "torch.nn.functional.cross_entropy(torch.tensor([[1., 2.]]), torch.tensor([0], dtype=torch.int32))",
    "torch.nn.functional.cross_entropy(torch.tensor([[1., 2.]]), torch.tensor([0], dtype=torch.uint8))",
    "torch.nn.functional.cross_entropy(torch.tensor([[1., 2.], [1., 2.]]), torch.tensor([0, 1, 1]))",
    "torch.nn.functional.nll_loss(torch.tensor([[1., 2.]]), torch.tensor([0.]))",
    "torch.nn.functional.cross_entropy(torch.tensor([[1, 2]]), torch.tensor([0]))",
)

# ---------------------------------------------------------------- masks and index_select
group(
    "masks",
    "a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n"
    "y = a.masked_fill(a > 2, 0.); (y * torch.tensor([[1., 2.], [3., 4.]])).sum().backward(); y, nf(y), y.grad_fn._saved_mask, a.grad",
    "a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True); v = torch.tensor(5., requires_grad=True)\n"
    "y = a.masked_fill(torch.tensor([True, False]), v); y.sum().backward(); y, nf(y), v.grad, a.grad",
    "b = torch.tensor([1, 2, 3]); b.masked_fill_(b > 1, 7); b",
    "torch.tensor([1, 2]).masked_fill(torch.tensor([True, False]), 2.7)",
    "torch.ones(2, 2).masked_fill(torch.tensor([[[True]]]), 0.)",
    "torch.ones(2, 2).masked_fill(torch.ones(2, 2) > 0, torch.tensor([1., 2.]))",
    "torch.ones(2, 2).masked_fill(torch.tensor([1, 0]), 0.)",
    "a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n"
    "y = a.index_select(0, torch.tensor([1, 1])); y.sum().backward(); y, nf(y), y.grad_fn._saved_dim, y.grad_fn._saved_index, a.grad",
    "torch.tensor([[1., 2.], [3., 4.]]).index_select(1, torch.tensor([1]))",
    "torch.ones(2, 2).index_select(0, torch.tensor([1.]))",
    "torch.ones(2, 2).index_select(0, torch.tensor([[1]]))",
    "torch.ones(2, 2).index_select(0, torch.tensor([5]))",
    "torch.tensor([1., 2., 3.]).index_select(0, torch.tensor([-1]))",
    "a = torch.tensor([[1., 2.], [3., 4.]]); torch.where(a > 2), torch.nonzero(a > 2), (a > 2).nonzero(as_tuple=True)",
    "torch.tensor(3.).nonzero(), torch.tensor(0.).nonzero()",
)

# ---------------------------------------------------------------- dtype= of reductions
group(
    "reduce-dtype",
    "a = torch.tensor([1., 2.], requires_grad=True); y = a.softmax(0, dtype=torch.float64); y, nf(y)",
    "a = torch.tensor([1., 2.], requires_grad=True); torch.nn.functional.log_softmax(a, 0, dtype=torch.float64)",
    "a = torch.tensor([1., 2.], requires_grad=True); y = a.prod(dtype=torch.float64); y.backward(); y, nf(y), a.grad",
    "torch.tensor([1, 2]).prod(dtype=torch.float32), torch.tensor([1, 2]).softmax(0, dtype=torch.float32)",
    "torch.tensor([[1., 2.]]).prod(1, dtype=torch.float64)",
)

# ---------------------------------------------------------------- half floats and numbers
group(
    "half-scalars",
    "h = torch.tensor([0.34, 0.1, 1000.], dtype=torch.float16); h * 1e5, 1e5 * h, h * 100000, h / 3",
    "h = torch.tensor([0.34, 0.1, 1000.], dtype=torch.float16); h + 1e5, h + 0.1, h - 1e-4, h % 0.3",
    "b = torch.tensor([0.34, 0.1], dtype=torch.bfloat16); b * 1e5, b + 0.1, b == 0.1, b / 3",
)

# ---------------------------------------------------------------- in-place ops in a graph
group(
    "inplace-graph",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); b = a * 1\n"
    "b.copy_(torch.tensor([5., 6., 7.])); (b * b).sum().backward(); b.grad_fn.name(), nf(b), a.grad",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); b = a * 1\nb[1:].copy_(torch.tensor(5.)); (b * b).sum().backward(); a.grad",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); a.copy_(torch.tensor([5., 6., 7.]))",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); s = torch.tensor([5., 6., 7.], requires_grad=True); b = a * 1\n"
    "b.copy_(s); (b * b).sum().backward(); a.grad, s.grad",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); x = torch.zeros(3, dtype=torch.float64); x.copy_(a); x.sum().backward(); x, a.grad",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); b = a * 1; v = b[:2]\nb.mul_(10); n = v.grad_fn; v.sum().backward(); n, a.grad",
    "a = torch.tensor([1., 2., 3.], requires_grad=True); b = a * 1; v = b[:2]; u = b[1:]\nv.mul_(10); n = u.grad_fn; u.sum().backward(); n, a.grad",
    "w = torch.tensor([1., -1.], requires_grad=True); loss = (w * w).sum(); w.data.mul_(2); loss.backward(); w.grad, w._version",
    "w = torch.tensor([2., 3.], requires_grad=True); x = torch.ones(2); x.mul_(w); x.sum().backward(); w.grad, x",
    "w = torch.tensor([2., 3.], requires_grad=True); x = torch.ones(2); x /= w; x.sum().backward(); w.grad",
    "a = torch.tensor([1., 2.]); b = a; a **= 2; b",
    "a = torch.tensor([5., 7.]); b = a; a //= 2; a %= 2; b",
    "a = torch.tensor([1.5, 2.], requires_grad=True); a.long(), a.int(), a.bool(), a.double()",
    "x = torch.tensor([1., 2.], requires_grad=True); h = x * x\ng, = torch.autograd.grad(h.sum(), h); (h * 2).sum().backward(); g, x.grad",
    "x = torch.zeros(3); v = x[:2]; w = torch.tensor(2., requires_grad=True); x.add_(w); x, v.requires_grad",
    "torch.tensor([[0.]]) @ torch.tensor([[float('nan'), 1.]]), torch.tensor([[float('nan')], [1.]]) @ torch.tensor([[0.]])",
)

# ---------------------------------------------------------------- saved outputs, fill_, hooks, Size
group(
    "inplace-saved",
    "a = torch.tensor([1., 2.], requires_grad=True); b = a * 1; b.sigmoid_(); b.sigmoid_(); b.sum().backward()",
    "a = torch.tensor([1., 2.], requires_grad=True); b = a * 1; b.relu_(); b.exp_(); b.sum().backward()",
    "a = torch.tensor([1., 2.], requires_grad=True); b = a.relu(); b.relu_(); b.mul_(2); b.sum().backward()",
    "a = torch.tensor([1., 2.], requires_grad=True); b = a * 1; b.exp_(); (b * 2).sum().backward(); a.grad",
    "a = torch.tensor([1., 2.], requires_grad=True); b = a * 1; b.fill_(a[1]); b.sum().backward(); b.grad_fn.name(), nf(b), a.grad",
    "a = torch.tensor([1., 2.], requires_grad=True); x = torch.zeros(2); x.fill_(a[1]); nf(x)",
    "a = torch.tensor([1., 2.], requires_grad=True); (a * 1).fill_(a)",
    "a = torch.tensor([1., 2.], requires_grad=True); b = a * 1; b.register_hook(lambda g: g.double()); b.sum().backward()",
    "a = torch.tensor([1., 2.], requires_grad=True); b = a * 1; b.register_hook(lambda g: 'x'); b.sum().backward()",
    "a = torch.tensor([1., 2.], requires_grad=True)\ndef halve(g):\n    return g[:1]\nb = a * 1; b.register_hook(halve); b.sum().backward()",
    "torch.ones(2, 3).shape[1:], torch.ones(2, 3).shape[::-1], torch.ones(2, 3).shape[0]",
    "torch.Size([torch.tensor(2)]), torch.Size([2, -1]), torch.Size((3,)) + (1,), torch.Size()",
    "torch.Size([2.5])",
    "torch.Size([torch.tensor(2.)])",
)

# ---------------------------------------------------------------- jacobian and hessian checks
group(
    "functional-checks",
    "torch.autograd.functional.jacobian(lambda a: torch.ones(2), torch.tensor([1., 2.]), strict=True)",
    "x = torch.tensor([1., 2.]); torch.autograd.functional.jacobian(lambda a, b: a * 2, (x, x), strict=True)",
    "torch.autograd.functional.jacobian(lambda a: a * 2, torch.tensor([1., 2.]), strict=True)",
    "torch.autograd.functional.hessian(lambda a: a.sum(), torch.tensor([1., 2.]), strict=True)",
    "torch.autograd.functional.hessian(lambda a: (a ** 3).sum(), torch.tensor([1., 2.]), create_graph=True)",
    "x = torch.tensor([1., 2.]); torch.autograd.functional.hessian(lambda a, b: (a ** 2).sum() + b.sum(), (x, x), strict=True)",
    "x = torch.tensor([1., 2.]); torch.autograd.functional.hessian(lambda a, b: (a ** 2).sum() + (b ** 2).sum(), (x, x), strict=True)",
    "torch.autograd.functional.jacobian(lambda a: a * 2, [torch.tensor([1., 2.])])",
    "torch.autograd.functional.jacobian(lambda a: [a * 2], torch.tensor([1., 2.]))",
    "x = torch.tensor([1., 2.]); torch.autograd.functional.jacobian(lambda a: a * 2, (x, 3.0))",
    "torch.autograd.functional.hessian(lambda a: [a.sum()], torch.tensor([1., 2.]))",
)

# ---------------------------------------------------------------- matmul's graphs, reshape's nodes
_TREE = ("def tree(n):\n"
         "    kids = [tree(m) if m is not None else 'None' for m, _ in n.next_functions]\n"
         "    return n.name() + ('(' + ', '.join(kids) + ')' if kids else '')\n")
group(
    "matmul-graphs",
    *(_TREE + f"a = torch.ones({sa}, requires_grad={ga}); b = torch.ones({sb}, requires_grad={gb})\n"
      "out = a @ b; out.sum().backward()\n"
      "out.shape, tree(out.grad_fn), a.grad is not None and a.grad.sum(), b.grad is not None and b.grad.sum()"
      for sa, sb, ga, gb in [
          ("2, 2, 3", "2, 3, 4", True, True), ("2, 2, 3", "3, 4", True, True),
          ("2, 3", "2, 3, 4", True, True), ("2, 2, 3", "3", True, True), ("3", "2, 3, 4", True, True),
          ("2, 1, 2, 3", "3, 3, 4", True, True), ("1, 2, 3", "2, 3, 4", True, True),
          ("2, 2, 3", "3, 4", True, False), ("2, 3", "2, 3, 4", False, True),
          ("2, 1, 2, 3", "1, 3, 4", False, True), ("3", "1, 3, 4", True, True)]),
    "a = torch.ones(2, 3, requires_grad=True)\n"
    "[y.grad_fn.name() for y in (a.reshape(6), a[:, 1:].flatten(), a.t().reshape(6), a.t().reshape(3, 2), "
    "a[:, :1].reshape(2), a.expand(2, 2, 3).reshape(4, 3), a.expand(2, 3), a.expand_as(a))]",
)

# ---------------------------------------------------------------- div with a rounding mode
group(
    "div-modes",
    "a = torch.tensor([1., 2.], requires_grad=True); b = torch.tensor([3., 4.], requires_grad=True)\n"
    "[(y.grad_fn.name(), nf(y)) for y in (a / 2, a.div(2, rounding_mode=None), a.div(b, rounding_mode='trunc'), torch.div(a, b, rounding_mode=None))]",
    "a = torch.tensor([1., 2.], requires_grad=True); b = torch.tensor([3., 4.], requires_grad=True)\n"
    "y = a.div(b, rounding_mode='floor'); y.sum().backward(); y, a.grad, b.grad, y.grad_fn._saved_rounding_mode",
    "a = torch.tensor([1., 2.], requires_grad=True); b = torch.tensor([3., 4.], requires_grad=True)\n"
    "y = a.div(b, rounding_mode=None); y.sum().backward(); a.grad, b.grad, y.grad_fn._saved_rounding_mode",
    "torch.tensor([1., 2.]).div(2, rounding_mode='round')",
)

# ---------------------------------------------------------------- nn, optim and creation API
group(
    "nn-api",

    # load_state_dict's return value
    "lin = torch.nn.Linear(3, 2); lin.load_state_dict(lin.state_dict())",
    "lin = torch.nn.Linear(3, 2); r = lin.load_state_dict(lin.state_dict()); type(r).__name__, r.missing_keys, tuple(r)",
    "lin = torch.nn.Linear(3, 2); sd = lin.state_dict(); del sd['bias']; sd['extra'] = torch.ones(1); lin.load_state_dict(sd, strict=False)",
    "lin = torch.nn.Linear(3, 2); sd = lin.state_dict(); del sd['bias']; print(lin.load_state_dict(sd, strict=False))",
    # legacy size_average / reduce on the loss modules
    "x = torch.tensor([[1., -2.], [0.5, 3.]]); torch.nn.MSELoss(size_average=False)(x, torch.zeros(2, 2))",
    "torch.nn.MSELoss(size_average=False).reduction",
    "torch.nn.L1Loss(reduce=False).reduction",
    "torch.nn.L1Loss(size_average=True, reduce=True).reduction",
    "torch.nn.L1Loss(size_average=False, reduce=False).reduction",
    "torch.nn.MSELoss(reduce=True, reduction='none').reduction",
    "torch.nn.MSELoss(reduction='sum').reduction",
    "x = torch.tensor([[1., -2.], [0.5, 3.]]); torch.nn.L1Loss(reduce=False)(x, torch.zeros(2, 2))",
    "torch.nn.CrossEntropyLoss(size_average=False).reduction",
    "torch.nn.CrossEntropyLoss(size_average=False)(torch.tensor([[1., 2.], [0., 1.]]), torch.tensor([0, 1]))",
    # Sequential indexing and mutation
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)); seq[1:]",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)); seq[::-1]",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq[5]",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq[-3]",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq[-1]",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq['0']",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq[0] = torch.nn.Tanh(); seq",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq[2] = torch.nn.Tanh()",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq[0] = 3",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh()); del seq[1]; seq",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh()); del seq[:2]; seq",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3)); del seq[3]",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3)); seq.append(torch.nn.ReLU())",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3)); seq.append(3)",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq.insert(1, torch.nn.Tanh())",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq.insert(-1, torch.nn.Tanh())",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq.insert(3, torch.nn.Tanh())",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); seq.insert(0, 3)",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3)); seq.extend([torch.nn.ReLU(), torch.nn.Tanh()])",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh()); m = seq.pop(1); m, seq",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3)); seq.pop(1)",
    "seq = torch.nn.Sequential(torch.nn.ReLU()); seq + torch.nn.Sequential(torch.nn.Tanh())",
    "torch.nn.Sequential(torch.nn.ReLU()) + 3",
    "seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()); len(seq), [type(m).__name__ for m in seq]",
    # state_dict: tied submodules, non-persistent buffers
    """
class Tied(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(2, 2)
        self.b = self.a
        self.register_buffer("tmp", torch.ones(1), persistent=False)
        self.register_buffer("keep", torch.ones(1))
m = Tied()
list(m.state_dict()), [n for n, _ in m.named_buffers()], [n for n, _ in m.named_parameters()]
""",
    """
class Tied(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(2, 2)
        self.b = self.a
        self.register_buffer("tmp", torch.ones(1), persistent=False)
m = Tied()
m.load_state_dict(m.state_dict())
""",
    """
m = torch.nn.Module()
m.register_buffer("tmp", torch.ones(1), persistent=False)
m.tmp = torch.zeros(2)
list(m.state_dict()), m.tmp
""",
    """
m = torch.nn.Module()
m.register_buffer("tmp", torch.ones(1), persistent=False)
m.register_buffer("tmp", torch.ones(1))
list(m.state_dict())
""",
    # optimizers
    "p = torch.ones(2, requires_grad=True); q = torch.ones(3, requires_grad=True); print(torch.optim.SGD([{'params': [p]}, {'params': [q], 'lr': 0.5}], lr=0.1))",
    "p = torch.ones(2, requires_grad=True); torch.optim.Adam([{'params': [p]}, {'params': [torch.ones(1, requires_grad=True)]}])",
    """
p = torch.ones(2, requires_grad=True)
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
p.grad = torch.ones(2)
opt.step()
sd = opt.state_dict()
opt.step()
sd["state"][0]["momentum_buffer"], sd["state"][0] is opt.state[p]
""",
    """
p = torch.ones(2, requires_grad=True)
opt = torch.optim.Adam([p], lr=0.1)
p.grad = torch.ones(2)
opt.step()
other = torch.optim.Adam([p], lr=0.1)
other.load_state_dict(opt.state_dict())
opt.step()
other.state[p]["step"], other.state[p]["exp_avg"] is opt.state[p]["exp_avg"]
""",
    "torch.optim.Adam([torch.ones(1, requires_grad=True)], lr=float('nan'))",
    "torch.optim.Adam([torch.ones(1, requires_grad=True)], betas=(0.9,))",
    "torch.optim.Adam([torch.ones(1, requires_grad=True)], betas=(0, 0.9))",
    "torch.optim.Adam([torch.ones(1, requires_grad=True)], betas=[0.9, 0.99]).param_groups[0]['betas']",
    "torch.optim.Adam([torch.ones(1, requires_grad=True)], eps=float('nan'))",
    "torch.optim.AdamW([torch.ones(1, requires_grad=True)], lr=float('nan'))",
    "torch.optim.Adagrad([torch.ones(1, requires_grad=True)], lr=float('nan'))",
    "torch.optim.RMSprop([torch.ones(1, requires_grad=True)], alpha=float('nan'))",
    "torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=float('nan')).param_groups[0]['lr']",
    "torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, momentum=float('nan')).param_groups[0]['momentum']",
    "p = torch.ones(1, requires_grad=True); p.grad = torch.ones(1); torch.optim.Optimizer([p], {'lr': 0.1}).step()",
    "lin = torch.nn.Linear(2, 1); opt = torch.optim.SGD(lin.named_parameters(), lr=0.1); opt.param_groups[0]['param_names'], [p.shape for p in opt.param_groups[0]['params']]",
    "lin = torch.nn.Linear(2, 1); print(torch.optim.SGD(lin.named_parameters(), lr=0.1))",
    "lin = torch.nn.Linear(2, 1); torch.optim.SGD(lin.named_parameters(), lr=0.1).state_dict()['param_groups'][0]['param_names']",
    """
lin = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(lin.named_parameters(), lr=0.1)
lin(torch.ones(2)).sum().backward()
opt.step()
lin.bias.grad
""",
    "p = torch.ones(1, requires_grad=True); torch.optim.SGD([('a', p), torch.ones(1, requires_grad=True)], lr=0.1)",
    "p = torch.ones(1, requires_grad=True); opt = torch.optim.SGD([p], lr=0.1); opt.add_param_group({'params': [('q', torch.ones(1, requires_grad=True))]})",
    "p = torch.ones(1, requires_grad=True); torch.optim.SGD([p], lr=0.1).add_param_group([p])",
    "torch.optim.SGD([1.0], lr=0.1)",
    "torch.optim.SGD([np.float64(1.0)], lr=0.1)",
    "p = torch.ones(1, requires_grad=True); g = {'params': [p]}; opt = torch.optim.SGD([g], lr=0.1); opt.param_groups[0] is g, sorted(g)",
    # creation edge cases
    "torch.arange(torch.tensor(3))",
    "torch.arange(torch.tensor(3.))",
    "torch.arange(torch.tensor(1), 4)",
    "torch.arange(np.int64(3))",
    "torch.arange(torch.tensor(3), dtype=torch.float64)",
    "torch.full(2, 1.)",
    "torch.full(None, 1.)",
    "torch.full((2.5,), 1.)",
    "torch.full((2, 2.0), 1.)",
    "torch.full([2], 1)",
    "torch.full((), 1.)",
    "torch.linspace(0, 1, 2.5)",
    "torch.linspace(0., 1, None)",
    "torch.linspace(0, 1, np.int64(3))",
    "torch.rand_like(torch.tensor([1, 2]))",
    "torch.rand_like(torch.tensor([True]))",
    "torch.randn_like(torch.tensor([1, 2]))",
    "torch.rand(2, dtype=torch.int32)",
    "torch.randn(2, dtype=torch.uint8)",
    "torch.rand_like(torch.tensor([1, 2]), dtype=torch.float64).dtype",
    "torch.eye(-1)",
    "torch.eye(2, -1)",
    "torch.eye(2.0)",
    "torch.eye(True)",
    "torch.eye(None)",
    "torch.eye(2, 3.0)",
    "torch.eye(np.int64(2))",
    "torch.eye(0)",
    "torch.zeros(2.0)",
    "torch.ones(True)",
    "torch.empty(None)",
    "torch.rand(2.5)",
    "torch.zeros(np.float64(2))",
    "torch.zeros(2, 3.0)",
    "torch.zeros([2, 3, 4.0])",
    "torch.zeros(2.0, 3)",
    "torch.zeros((2.0, 3))",
    "torch.zeros(np.int64(2), 3).shape",
    "torch.zeros(()).shape",
    "torch.tensor(None)",
    "torch.tensor([1, None])",
    "torch.tensor(object())",
    "torch.tensor({})",
    # small nn checks
    "torch.nn.Parameter(torch.tensor([1, 2]))",
    "torch.nn.Parameter(torch.tensor([1, 2]), requires_grad=False)",
    "m = torch.nn.Module(); m.register_parameter('', torch.nn.Parameter(torch.ones(1)))",
    "m = torch.nn.Module(); m.register_parameter('a.b', torch.nn.Parameter(torch.ones(1)))",
    "m = torch.nn.Module(); m.register_parameter(3, torch.nn.Parameter(torch.ones(1)))",
    "m = torch.nn.Module(); m.foo = 1; m.register_parameter('foo', torch.nn.Parameter(torch.ones(1)))",
    "m = torch.nn.Module(); m.add_module('a.b', torch.nn.Linear(1, 1))",
    "m = torch.nn.Module(); m.add_module('', torch.nn.Linear(1, 1))",
    "m = torch.nn.Module(); m.add_module(3, torch.nn.Linear(1, 1))",
    "m = torch.nn.Module(); m.register_buffer('b', torch.ones(1)); m.add_module('b', torch.nn.Linear(1, 1))",
    "m = torch.nn.Module(); m.register_buffer('a.b', torch.ones(1))",
    "m = torch.nn.Module(); m.register_buffer('', torch.ones(1))",
    "m = torch.nn.Module(); m.register_buffer('x', 3)",
    "m = torch.nn.Module(); m.lin = torch.nn.Linear(1, 1); m.register_buffer('lin', torch.ones(1))",
    "m = torch.nn.Module(); m.register_buffer('buf', torch.ones(1)); m.buf = 3",
    "m = torch.nn.Module(); m.register_buffer('buf', torch.ones(1)); m.buf = [1.]",
    "m = torch.nn.Module(); m.register_buffer('buf', torch.ones(1)); m.buf = None; m.buf, list(m.state_dict())",
    "m = torch.nn.Module(); m.register_buffer('buf', torch.ones(1)); m.buf = torch.zeros(2); m.buf",
    """
class Bad(torch.nn.Module):
    def __init__(self):
        self.register_buffer("b", torch.ones(1))
Bad()
""",
    "torch.nn.ReLU(inplace=True)",
    "torch.nn.ReLU(True)",
    "torch.nn.ReLU()",
    "torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(inplace=True))",
    "x = torch.tensor([-1., 2.]); y = torch.nn.ReLU(inplace=True)(x); x, y is x",
    "torch.nn.Tanh(inplace=True)",
    "torch.nn.init.calculate_gain('foo')",
    "torch.nn.init.calculate_gain('selu')",
    "torch.nn.init.calculate_gain('conv2d')",
    "torch.nn.init.calculate_gain('leaky_relu', 0.2)",
    "torch.nn.init.calculate_gain('leaky_relu', 'x')",
    "torch.nn.init.calculate_gain('leaky_relu', True)",
    "torch.nn.Linear(0, 2)",
    "torch.nn.Linear(2, 0)",
    "torch.nn.init.kaiming_uniform_(torch.empty(0, 3))",
    "torch.nn.Tanh(3)",
    "torch.nn.Identity(3)",
    "torch.nn.Identity(inplace=False)",
    # load_state_dict argument checks
    "torch.nn.Linear(3, 2).load_state_dict(3)",
    "lin = torch.nn.Linear(2, 1); sd = lin.state_dict(); sd['weight'] = [[1., 2.]]; lin.load_state_dict(sd)",
    "lin = torch.nn.Linear(2, 1); sd = lin.state_dict(); sd['weight'] = [[1., 2.]]; del sd['bias']; lin.load_state_dict(sd)",
    # optimizer state: 'step' comes first, as PyTorch creates it
    "p = torch.ones(2, requires_grad=True); opt = torch.optim.Adam([p], lr=0.1, amsgrad=True); p.grad = torch.ones(2); opt.step(); opt.state_dict()['state']",
    "p = torch.ones(2, requires_grad=True); opt = torch.optim.RMSprop([p], momentum=0.9, centered=True); p.grad = torch.ones(2); opt.step(); list(opt.state[p])",
    "p = torch.ones(2, requires_grad=True); opt = torch.optim.SGD([p], lr=0.1); p.grad = torch.ones(2); opt.step(); opt.state_dict()['state']",
)

# ---------------------------------------------------------------- expand's error names the last dim
group(
    "expand-errors",
    "torch.ones(2, 2).expand(3, 3)",
    "torch.ones(2, 2).expand(3, 2)",
)

# ---------------------------------------------------------------- dtypes: in-place bitwise, .to(type), tensor() inference
group(
    "dtype-corners",
    "a = torch.tensor([True, False, True]); b = a; a &= torch.tensor([True, True, False]); b",
    "a = torch.tensor([5, 3, 7], dtype=torch.uint8); a |= torch.tensor([2, -4, 3], dtype=torch.int8); a",
    "a = torch.tensor([True, False]); a ^= torch.tensor([2, 3])",
    "x = torch.tensor([1.5, 2.0]); x.to(float), x.to(int), torch.tensor([1, 2]).to(bool), x.to(dtype=float), x.to(complex)",
    "torch.tensor([1.]).type(int)",
    "torch.tensor([1, 2]) % torch.tensor([2, 0])",
    "torch.tensor([5]) % 0",
    "torch.tensor([5.]) % 0",
    "True ^ torch.tensor([True, False]), 3 ^ torch.tensor([1, 2])",
    "torch.tensor([255.], dtype=torch.bfloat16) * 1.003, torch.tensor([1.5, -2.25], dtype=torch.bfloat16) * 1e5",
    "a = torch.tensor([0.34], dtype=torch.float16); a *= 1e5; b = torch.tensor([-0.0, 1.0], dtype=torch.float16); b *= 2**31; a, b",
    "a = torch.tensor([0.34], dtype=torch.bfloat16); a += 0.1; a, torch.tensor([0.34, 0.1], dtype=torch.bfloat16) + 0.1",
    "torch.tensor(np.float64(2.5)), torch.tensor(np.int32(3)).dtype",
    "torch.tensor([torch.tensor(2.5, dtype=torch.float64), 1.0]), torch.tensor([torch.tensor(1, dtype=torch.uint8), torch.tensor(2, dtype=torch.uint8)])",
    "torch.tensor([np.array([1.5])])",
    "torch.tensor([1, np.float16(0.1)]), torch.tensor([1.5, np.float16(0.1)]), torch.tensor([1, np.array(2.5)])",
    "torch.tensor([torch.tensor([1.]), torch.tensor([2.])]), torch.tensor([1., torch.tensor([2.])])",
    "torch.tensor([torch.tensor([1., 2.]), torch.tensor([3., 4.])])",
    "torch.tensor([[np.int8(1)], [2]]), torch.tensor([torch.tensor(1), 2.5]), torch.tensor([np.float64(1)], dtype=torch.float16)",
)

# ---------------------------------------------------------------- what PyTorch refuses for complex and bool
group(
    "complex-bool-refusals",
    *(f"z = torch.tensor([1+2j, 3-1j]); {c}" for c in (
        "z < 1", "z >= z", "z == z", "torch.maximum(z, z)", "torch.sign(z)", "torch.round(z)",
        "torch.floor(z)", "z // 2", "z % 2", "z.clamp(0, 1)", "z.relu()")),
    *(f"t = torch.tensor([True, False]); {c}" for c in (
        "t ** t", "t % t", "t // t", "t ** 2, 2 ** t, t % 2, t // 2")),
    "torch.logical_and(torch.tensor([True]), True)",
    "torch.maximum(torch.tensor([1.]), 2.)",
    "torch.from_numpy(np.array([[1, 2], [3, 4]])[:, ::-1])",
)

# ---------------------------------------------------------------- floor division and half means
group(
    "floor-division",
    "a = torch.tensor([1., -1., 7., -7., float('inf'), 5., 0., -0.5, 2.5, float('nan'), -3.])\n"
    "b = torch.tensor([0.1, 0.1, 2., 2., 1., 0., -3., 0.25, -0.5, 1., float('inf')])\n"
    "a // b, a.double() // b.double(), torch.div(a, b, rounding_mode='floor')",
    "torch.tensor([1., -7.]) // 2, 7.5 // torch.tensor([2., -2.]), torch.tensor([1.], dtype=torch.float16) // 0.1",
    "h = torch.tensor([0.1, 0.25, 1e-5], dtype=torch.float16); h.mean(), h.mean(0), torch.tensor([[0.1, 0.3]], dtype=torch.bfloat16).mean(1)",
)
