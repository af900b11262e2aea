"""``nn`` and creation API details checked against PyTorch 2.13: the expected values and
messages below were taken from real PyTorch."""
import re
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import engine as torch

nn = torch.nn


def _raises(kind, message):
    return pytest.raises(kind, match=f"^{re.escape(message)}$")


def _seq():
    return nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Tanh())


# ---------------------------------------------------------------- load_state_dict
def test_load_state_dict_result_prints_as_pytorch():
    lin = nn.Linear(3, 2)
    result = lin.load_state_dict(lin.state_dict())
    assert repr(result) == str(result) == "<All keys matched successfully>"
    assert type(result).__name__ == "_IncompatibleKeys"
    assert result == ([], []) and result.missing_keys == []
    sd = lin.state_dict()
    del sd["bias"]
    sd["extra"] = torch.ones(1)
    assert repr(lin.load_state_dict(sd, strict=False)) == \
        "_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['extra'])"


def test_load_state_dict_argument_checks():
    lin = nn.Linear(2, 1)
    with _raises(TypeError, "Expected state_dict to be dict-like, got <class 'int'>."):
        lin.load_state_dict(3)
    sd = lin.state_dict()
    sd["weight"] = [[1., 2.]]
    with _raises(RuntimeError, 'Error(s) in loading state_dict for Linear:\n\tWhile copying the '
                               'parameter named "weight", expected torch.Tensor or Tensor-like '
                               "object from checkpoint but received <class 'list'>"):
        lin.load_state_dict(sd)


# ---------------------------------------------------------------- legacy loss arguments
@pytest.mark.parametrize("size_average,reduce,reduction", [
    (False, None, "sum"), (None, False, "none"), (True, True, "mean"), (False, False, "none"),
    (True, None, "mean"), (None, True, "mean"),
])
def test_legacy_loss_arguments_set_the_reduction(size_average, reduce, reduction):
    for cls in (nn.MSELoss, nn.L1Loss, nn.CrossEntropyLoss):
        with pytest.warns(UserWarning) as caught:
            loss = cls(size_average=size_average, reduce=reduce, reduction="mean")
        assert loss.reduction == reduction
        assert [str(w.message) for w in caught] == [
            ("size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.")]


def test_legacy_loss_arguments_change_the_value_and_plain_reduction_does_not_warn():
    x = torch.tensor([[1., -2.], [0.5, 3.]])
    with pytest.warns(UserWarning):
        assert nn.MSELoss(size_average=False)(x, torch.zeros(2, 2)).item() == 14.25
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.MSELoss(reduction="sum").reduction == "sum"


# ---------------------------------------------------------------- Sequential
def test_sequential_slice_keeps_the_child_names():
    assert repr(_seq()[1:]) == "Sequential(\n  (1): ReLU()\n  (2): Tanh()\n)"
    assert list(_seq()[::-1]._modules) == ["2", "1", "0"]


def test_sequential_index_errors_use_pytorch_text():
    with _raises(IndexError, "index 5 is out of range"):
        _seq()[5]
    with _raises(IndexError, "index -4 is out of range"):
        _seq()[-4]
    with _raises(IndexError, "index 3 is out of range"):
        _seq()[3] = nn.ReLU()
    with _raises(IndexError, "index 3 is out of range"):
        del _seq()[3]
    with _raises(IndexError, "Index out of range: 4"):
        _seq().insert(4, nn.ReLU())


def test_sequential_setitem_and_delitem():
    seq = _seq()
    seq[0] = nn.Identity()
    assert repr(seq) == "Sequential(\n  (0): Identity()\n  (1): ReLU()\n  (2): Tanh()\n)"
    with _raises(TypeError, "cannot assign 'int' as child module '1' "
                            "(torch.nn.Module or None expected)"):
        seq[1] = 3
    del seq[1]
    assert repr(seq) == "Sequential(\n  (0): Identity()\n  (1): Tanh()\n)"
    seq = _seq()
    del seq[:2]
    assert repr(seq) == "Sequential(\n  (0): Tanh()\n)"


def test_sequential_append_insert_extend_pop_add():
    seq = nn.Sequential(nn.ReLU())
    assert seq.append(nn.Tanh()) is seq
    seq.insert(-1, nn.Identity()).extend([nn.Sigmoid()])
    assert [type(m).__name__ for m in seq] == ["ReLU", "Identity", "Tanh", "Sigmoid"]
    assert list(seq._modules) == ["0", "1", "2", "3"]
    assert type(seq.pop(1)).__name__ == "Identity"
    assert repr(seq) == "Sequential(\n  (0): ReLU()\n  (1): Tanh()\n  (2): Sigmoid()\n)"
    assert list((seq + nn.Sequential(nn.ReLU()))._modules) == ["0", "1", "2", "3"]
    with _raises(AssertionError, "module should be of type: "
                                 "<class 'torch.nn.modules.module.Module'>"):
        seq.insert(0, 3)
    with _raises(TypeError, "int is not a Module subclass"):
        seq.append(3)
    with _raises(ValueError, "add operator supports only objects of Sequential class, but "
                             "<class 'int'> is given."):
        seq + 3


# ---------------------------------------------------------------- state_dict
class _Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 2)
        self.b = self.a
        self.register_buffer("tmp", torch.ones(1), persistent=False)
        self.register_buffer("keep", torch.ones(1))


def test_state_dict_lists_tied_modules_under_each_name_and_skips_non_persistent():
    m = _Tied()
    assert list(m.state_dict()) == ["keep", "a.weight", "a.bias", "b.weight", "b.bias"]
    assert [n for n, _ in m.named_buffers()] == ["tmp", "keep"]
    assert [n for n, _ in m.named_parameters()] == ["a.weight", "a.bias"]
    assert repr(m.load_state_dict(m.state_dict())) == "<All keys matched successfully>"
    m.tmp = torch.zeros(2)
    assert "tmp" not in m.state_dict()
    m.register_buffer("tmp", torch.ones(1))
    assert "tmp" in m.state_dict()


# ---------------------------------------------------------------- small nn checks
def test_parameter_of_integers_cannot_require_grad():
    with _raises(RuntimeError, "Only Tensors of floating point and complex dtype can require "
                               "gradients"):
        nn.Parameter(torch.tensor([1, 2]))
    assert nn.Parameter(torch.tensor([1, 2]), requires_grad=False).dtype == torch.int64


@pytest.mark.parametrize("call,kind,message", [
    (lambda m: m.register_parameter("", nn.Parameter(torch.ones(1))), KeyError,
     'parameter name can\'t be empty string ""'),
    (lambda m: m.register_parameter(3, None), TypeError,
     "parameter name should be a string. Got int"),
    (lambda m: m.register_parameter("foo", None), KeyError, "attribute 'foo' already exists"),
    (lambda m: m.add_module("a.b", nn.ReLU()), KeyError,
     'module name can\'t contain ".", got: a.b'),
    (lambda m: m.add_module("", nn.ReLU()), KeyError, 'module name can\'t be empty string ""'),
    (lambda m: m.add_module("buf", nn.ReLU()), KeyError, "attribute 'buf' already exists"),
    (lambda m: m.register_buffer("a.b", None), KeyError, 'buffer name can\'t contain "."'),
    (lambda m: m.register_buffer("x", 3), TypeError,
     "cannot assign 'int' object to buffer 'x' (torch Tensor or None required)"),
    (lambda m: setattr(m, "buf", 3), TypeError,
     "cannot assign 'int' as buffer 'buf' (torch.nn.Buffer, torch.Tensor or None expected)"),
])
def test_registration_errors(call, kind, message):
    m = nn.Module()
    m.foo = 1
    m.register_buffer("buf", torch.ones(1))
    with pytest.raises(kind) as info:
        call(m)
    assert (info.value.args[0] if kind is KeyError else str(info.value)) == message


def test_buffer_assignment_and_registration_before_init():
    m = nn.Module()
    m.register_buffer("buf", torch.ones(1))
    m.buf = None
    assert m.buf is None and list(m.state_dict()) == []

    class Bad(nn.Module):
        def __init__(self):
            self.register_buffer("b", torch.ones(1))

    with _raises(AttributeError, "cannot assign buffer before Module.__init__() call"):
        Bad()


def test_relu_inplace_and_module_init_arguments():
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"
    assert repr(nn.ReLU()) == "ReLU()"
    x = torch.tensor([-1., 2.])
    assert nn.ReLU(inplace=True)(x) is x and x.tolist() == [0.0, 2.0]
    with _raises(TypeError, "Tanh.__init__() got an unexpected keyword argument 'inplace'"):
        nn.Tanh(inplace=True)
    assert repr(nn.Identity(3, inplace=False)) == "Identity()"


def test_calculate_gain_matches_pytorch():
    assert nn.init.calculate_gain("selu") == 0.75
    assert nn.init.calculate_gain("conv2d") == 1
    assert nn.init.calculate_gain("leaky_relu") == 1.4141428569978354
    with _raises(ValueError, "Unsupported nonlinearity foo"):
        nn.init.calculate_gain("foo")
    with _raises(ValueError, "negative_slope True not a valid number"):
        nn.init.calculate_gain("leaky_relu", True)


def test_zero_element_linear_warns():
    with pytest.warns(UserWarning, match="^Initializing zero-element tensors is a no-op$"):
        lin = nn.Linear(0, 2)
    assert repr(lin) == "Linear(in_features=0, out_features=2, bias=True)"


# ---------------------------------------------------------------- creation
def test_arange_of_tensors_and_numpy_integers():
    assert torch.arange(torch.tensor(3)).dtype == torch.int64
    assert torch.arange(torch.tensor(3.)).dtype == torch.float32
    assert torch.arange(np.int64(3)).tolist() == [0, 1, 2]
    assert torch.arange(np.int64(3)).dtype == torch.int64


def test_random_of_integer_dtypes_is_not_implemented():
    with _raises(NotImplementedError, '"check_uniform_bounds" not implemented for \'Long\''):
        torch.rand_like(torch.tensor([1, 2]))
    with _raises(NotImplementedError, '"normal_kernel_cpu" not implemented for \'Bool\''):
        torch.randn_like(torch.tensor([True]))
    assert torch.rand_like(torch.tensor([1, 2]), dtype=torch.float64).dtype == torch.float64


_OPTIONS = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
            "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n")


@pytest.mark.parametrize("make,kind,message", [
    (lambda: torch.full(2, 1.), TypeError,
     "full(): argument 'size' (position 1) must be tuple of ints, not int"),
    (lambda: torch.full((2, 2.0), 1.), TypeError,
     ("full(): argument 'size' failed to unpack the object at pos 2 with error \"type must be "
     "tuple of ints,but got float\"")),
    (lambda: torch.zeros(2.0), TypeError,
     "zeros(): argument 'size' (position 1) must be tuple of ints, not float"),
    (lambda: torch.ones(np.float64(2)), TypeError,
     "ones(): argument 'size' (position 1) must be tuple of ints, not numpy.float64"),
    (lambda: torch.ones(2.0, 3), TypeError, "ones() takes 1 positional argument but 2 were given"),
    (lambda: torch.rand(2.0, 3), TypeError,
     ("rand() received an invalid combination of arguments - got (float, int), but expected one "
     f"of:\n * (tuple of ints size, *, torch.Generator generator, {_OPTIONS}"
     f" * (tuple of ints size, *, {_OPTIONS}")),
    (lambda: torch.randn(2, 3.0), TypeError,
     ("randn(): argument 'size' failed to unpack the object at pos 2 with error \"type must be "
     "tuple of ints,but got float\"")),
    (lambda: torch.empty((2.0, 3)), TypeError,
     ("empty(): argument 'size' (position 1) must be tuple of ints, but found element of type "
     "float at pos 0")),
    (lambda: torch.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    (lambda: torch.eye(2, -1), RuntimeError, "m must be greater or equal to 0, got -1"),
    (lambda: torch.eye(2.0), TypeError, "eye(): argument 'n' (position 1) must be int, not float"),
    (lambda: torch.eye(2, 3.0), TypeError,
     ("eye() received an invalid combination of arguments - got (int, float), but expected one "
     f"of:\n * (int n, *, {_OPTIONS} * (int n, int m, *, {_OPTIONS}")),
    (lambda: torch.linspace(0, 1, 2.5), TypeError,
     "linspace() received an invalid combination of arguments - got (int, int, float), but "
     "expected one of:\n"
     + "".join(f" * ({a} start, {b} end, int steps, *, {_OPTIONS}"
               for a, b in [("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                            ("Number", "Number")])),
    (lambda: torch.tensor(None), RuntimeError, "Could not infer dtype of NoneType"),
    (lambda: torch.tensor([1, None]), RuntimeError, "Could not infer dtype of NoneType"),
    (lambda: torch.tensor({}), RuntimeError, "Could not infer dtype of dict"),
])
def test_creation_errors_use_pytorch_wording(make, kind, message):
    with _raises(kind, message):
        make()


def test_creation_sizes_that_pytorch_accepts():
    assert torch.zeros(np.int64(2), 3).shape == (2, 3)
    assert torch.zeros((2, True)).shape == (2, 1)
    assert torch.full((), 1.).shape == ()
    assert torch.eye(np.int64(2)).shape == (2, 2)


def test_ordered_dict_sequential_keeps_names():
    seq = nn.Sequential(OrderedDict([("first", nn.ReLU()), ("second", nn.Tanh())]))
    assert repr(seq[1:]) == "Sequential(\n  (second): Tanh()\n)"
    with _raises(IndexError, "index 2 is out of range"):
        seq[2]
