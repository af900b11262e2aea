"""The lecture's autograd examples, as code for the graph lab's code box."""

PRESETS = {
    "y = 3x + 2, out = y.sum()": (
        "x = torch.linspace(0, 2, steps=21, requires_grad=True)\n"
        "y = 3*x + 2\n"
        "out = y.sum()\n"),
    "y = m*x + 2, y.backward(ones)": (
        "n = 21\n"
        "x = torch.linspace(0, 2, steps=n, requires_grad=True)\n"
        "m = torch.rand(n, requires_grad=True)\n"
        "y = m*x + 2\n"
        "y.backward(torch.ones(n))\n"),
    "f(x, y) = 3x + 1 + 2y² + xy": (
        "def f(x, y):\n"
        "    return 3*x + 1 + 2*y**2 + x*y\n"
        "x = torch.tensor([1.0], requires_grad=True)\n"
        "y = torch.tensor([1.0], requires_grad=True)\n"
        "out = f(x, y)\n"
        "out.backward()\n"),
    "linear regression loss": (
        "X = torch.randn(50, 2, dtype=torch.float64)\n"
        "b = torch.randn(2, 1, dtype=torch.float64, requires_grad=True)\n"
        "y = torch.randn(50, 1, dtype=torch.float64)\n"
        "loss = (X @ b - y).pow(2).sum()\n"),
}
DEFAULT_PRESET = next(iter(PRESETS))
