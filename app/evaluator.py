"""Safe evaluation of the code typed into the graph lab (RELIABILITY.md §2).

The text is parsed with `ast` and run by walking an allowlist: assignments to plain
names, arithmetic, and calls into explicit tables of engine functions and tensor
methods. Nothing is ever passed to eval/exec/compile, no attribute is looked up by a
user's string, and sizes are checked *before* the engine allocates anything.

`y.backward(g)` is not run: it marks which tensor (and seed gradient) the stepper
walks backward from, so the page can show the backward pass step by step.

The lecture's `def f(x, y): return 3*x + 1 + 2*y**2 + x*y` form is accepted: a top-level
function whose body is one `return expression`, with plain positional parameters (no
defaults, decorators, annotations, nested functions or lambdas) and called with
positional arguments. Its body runs under the same allowlist and limits, and may not
call functions defined in the code (so no recursion).
"""
from __future__ import annotations

import ast
import math
import time
import unicodedata
from dataclasses import dataclass, field

import engine

MAX_CHARS, MAX_LINE_CHARS, MAX_STATEMENTS = 1200, 256, 16
MAX_AST_NODES, MAX_STATEMENT_NODES, MAX_DEPTH = 400, 64, 16
MAX_CONSTANT, MAX_EXPONENT, MAX_INT_BITS = 1e6, 8, 53
MAX_ELEMENTS, MAX_TOTAL_ELEMENTS, MAX_MATMUL_FLOPS = 100_000, 1_000_000, 1e8
MAX_GRAPH_OPS, MAX_LIST_ITEMS, TIME_BUDGET_S = 64, 10_000, 2.0
MAX_PARAMS = 8

FUNCTIONS = {name: getattr(engine, name) for name in (
    "tensor", "linspace", "arange", "ones", "zeros", "rand", "randn", "ones_like", "zeros_like",
    "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sqrt", "abs", "sum", "mean", "matmul", "pow",
    "round", "floor", "ceil", "sign", "tan", "atan", "sinh", "cosh", "log1p", "expm1", "erf",
    "cumsum", "logcumsumexp", "amax", "amin", "logsumexp", "softmax", "log_softmax")
    if hasattr(engine, name)}
CONSTRUCTORS = {"tensor", "linspace", "arange", "ones", "zeros", "rand", "randn"}
METHODS = {"sum", "mean", "pow", "exp", "log", "tanh", "relu", "sigmoid", "sqrt", "abs", "sin", "cos",
           "squeeze", "unsqueeze", "t", "matmul", "neg", "round", "floor", "ceil", "sign", "tan", "atan",
           "sinh", "cosh", "log1p", "expm1", "erf", "cumsum", "logcumsumexp", "amax", "amin",
           "logsumexp", "softmax", "log_softmax"}
PROPERTIES = {"T"}
DTYPES = {name: getattr(engine, name) for name in ("float32", "float64", "float16", "int64", "int32", "double",
                                                    "float", "long") if hasattr(engine, name)}
KEYWORDS = {"requires_grad", "steps", "dtype", "dim", "keepdim", "start", "end", "step"}
MODULE_NAMES = {"torch"}
BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@", ast.Pow: "**"}


class EvalError(Exception):
    """The one error type the evaluator raises; its message is safe to show."""


@dataclass(frozen=True)
class UserFunction:
    """`def name(params): return body` from the typed code (body: an allowlisted expression)."""
    name: str
    params: tuple
    body: ast.expr


@dataclass
class Evaluation:
    namespace: dict = field(default_factory=dict)   # variable name -> tensor or number
    root: object = None                              # tensor to walk backward from
    root_name: str = ""
    gradient: object = None                          # seed gradient from y.backward(g)


def evaluate(source: str) -> Evaluation:
    """Run typed code under the allowlist; raise EvalError with a short message."""
    tree = parse(source)
    return _Walker().run(tree)


def parse(source: str) -> ast.Module:
    if not isinstance(source, str):
        raise EvalError("code must be text")
    if len(source) > MAX_CHARS:
        raise EvalError(f"code is too long ({len(source)} characters; at most {MAX_CHARS})")
    for line in source.splitlines():
        if len(line) > MAX_LINE_CHARS:
            raise EvalError(f"a line is too long (at most {MAX_LINE_CHARS} characters)")
    bad = [c for c in source if not (c.isprintable() or c in "\n\t")]
    if bad or unicodedata.normalize("NFKC", source) != source or not source.isascii():
        raise EvalError("only plain ASCII characters are allowed")
    try:
        tree = ast.parse(source, mode="exec")
    except (SyntaxError, MemoryError, RecursionError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        raise EvalError("invalid syntax" + (f" on line {line}" if line else "")) from None
    if len(tree.body) > MAX_STATEMENTS:
        raise EvalError(f"too many statements (at most {MAX_STATEMENTS})")
    total = sum(1 for _ in ast.walk(tree))
    if total > MAX_AST_NODES:
        raise EvalError(f"code is too complex ({total} syntax nodes; at most {MAX_AST_NODES})")
    for stmt in tree.body:
        if sum(1 for _ in ast.walk(stmt)) > MAX_STATEMENT_NODES:
            raise EvalError(f"line {stmt.lineno} is too complex (at most {MAX_STATEMENT_NODES} syntax nodes)")
        _check_depth(stmt)
    return tree


def _check_depth(stmt: ast.AST) -> None:
    stack = [(stmt, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise EvalError(f"expression nested too deeply (at most {MAX_DEPTH} levels)")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _shape(value) -> tuple | None:
    return tuple(value.shape) if isinstance(value, engine.Tensor) else None


def _numel(shape) -> int:
    return math.prod(shape) if shape else 1


class _Walker:
    def __init__(self):
        self.result = Evaluation()
        self.ops = 0
        self.elements = 0
        self.deadline = time.monotonic() + TIME_BUDGET_S
        self.locals = None   # parameter -> value while a user function's body runs

    def run(self, tree: ast.Module) -> Evaluation:
        if hasattr(engine, "manual_seed"):
            engine.manual_seed(0)   # the graph must not change on every keystroke
        try:
            for stmt in tree.body:
                self.statement(stmt)
        except EvalError:
            raise
        except (MemoryError, RecursionError, OverflowError):
            raise EvalError("the computation is too large") from None
        except ZeroDivisionError:
            raise EvalError("division by zero") from None
        except Exception as exc:  # engine errors (shape mismatch etc.) carry torch's wording
            raise EvalError(f"{type(exc).__name__}: {str(exc)[:200]}") from None
        result = self.result
        if result.root is None:
            last = [(k, v) for k, v in result.namespace.items()
                    if isinstance(v, engine.Tensor) and v.grad_fn is not None]
            if last:
                result.root_name, result.root = last[-1]
        return result

    def statement(self, stmt):
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                raise EvalError(f"line {stmt.lineno}: only `name = expression` assignments are allowed")
            name = stmt.targets[0].id
            self._check_name(name)
            self.result.namespace.pop(name, None)   # re-assignment moves it to the end
            self.result.namespace[name] = self.expr(stmt.value)
        elif isinstance(stmt, ast.Expr) and self._is_backward_call(stmt.value):
            call = stmt.value
            target = self.expr(call.func.value)
            if not isinstance(target, engine.Tensor):
                raise EvalError("backward() needs a tensor")
            if call.keywords or len(call.args) > 1:
                raise EvalError("backward() takes at most one gradient argument here")
            self.result.root = target
            self.result.root_name = call.func.value.id if isinstance(call.func.value, ast.Name) else ""
            self.result.gradient = self.expr(call.args[0]) if call.args else None
        elif isinstance(stmt, ast.Expr):
            self.expr(stmt.value)   # e.g. a bare `x` to look at it, as in the lecture
        elif isinstance(stmt, ast.FunctionDef):
            self.define(stmt)
        else:
            raise EvalError(f"line {stmt.lineno}: {type(stmt).__name__} statements are not allowed")

    @staticmethod
    def _is_backward_call(node) -> bool:
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "backward")

    @staticmethod
    def _check_name(name: str) -> None:
        if name.startswith("_"):
            raise EvalError(f"names starting with '_' are not allowed: {name}")
        if name in MODULE_NAMES:
            raise EvalError(f"`{name}` cannot be reassigned")

    def tick(self):
        if time.monotonic() > self.deadline:
            raise EvalError("the computation took too long")

    def expr(self, node):
        self.tick()
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            if node.id.startswith("_"):
                raise EvalError(f"names starting with '_' are not allowed: {node.id}")
            if self.locals is not None and node.id in self.locals:
                return self.locals[node.id]
            if node.id not in self.result.namespace:
                raise EvalError(f"name '{node.id}' is not defined")
            value = self.result.namespace[node.id]
            if isinstance(value, UserFunction):
                raise EvalError(f"`{node.id}` is a function: call it, e.g. {node.id}(...)")
            return value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = self.expr(node.operand)
            if isinstance(value, engine.Tensor):
                self._count_op()
            return -value if isinstance(node.op, ast.USub) else +value
        if isinstance(node, ast.BinOp) and type(node.op) in BINOPS:
            return self.binop(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, (ast.List, ast.Tuple)):
            raise EvalError("lists are only allowed as arguments, e.g. torch.tensor([1.0, 2.0])")
        raise EvalError(f"{type(node).__name__} is not allowed")

    def constant(self, value):
        if isinstance(value, bool) or value is None:
            return value
        if not isinstance(value, (int, float)):
            raise EvalError(f"{type(value).__name__} constants are not allowed")
        if not math.isfinite(value) or abs(value) > MAX_CONSTANT:
            raise EvalError(f"numbers must be finite and at most {MAX_CONSTANT:g} in size")
        return value

    def _count_op(self):
        self.ops += 1
        if self.ops > MAX_GRAPH_OPS:
            raise EvalError(f"the graph is too big (at most {MAX_GRAPH_OPS} operations)")

    def _admit(self, shape):
        n = _numel(shape)
        if n > MAX_ELEMENTS:
            raise EvalError(f"a tensor of {n} elements is too big (at most {MAX_ELEMENTS})")
        self.elements += n
        if self.elements > MAX_TOTAL_ELEMENTS:
            raise EvalError(f"too many tensor elements in total (at most {MAX_TOTAL_ELEMENTS})")

    def binop(self, node):
        left, right = self.expr(node.left), self.expr(node.right)
        symbol = BINOPS[type(node.op)]
        if symbol == "**":
            self._check_exponent(node.right, right)
        ls, rs = _shape(left), _shape(right)
        if ls is None and rs is None:
            return self._scalar_op(symbol, left, right)
        self._count_op()
        if symbol == "@":
            self._check_matmul(ls or (), rs or ())
        else:
            try:
                out = _broadcast(ls or (), rs or ())
            except ValueError:
                raise EvalError(f"shapes {list(ls or ())} and {list(rs or ())} cannot be broadcast together") from None
            self._admit(out)
        return _apply(symbol, left, right)

    @staticmethod
    def _check_exponent(node, value):
        literal = node
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            literal = node.operand
        if not isinstance(literal, ast.Constant) or isinstance(value, engine.Tensor):
            raise EvalError("the exponent of ** must be a number written in the code")
        if abs(value) > MAX_EXPONENT:
            raise EvalError(f"exponents are limited to ±{MAX_EXPONENT}")

    @staticmethod
    def _scalar_op(symbol, left, right):
        for v in (left, right):
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                raise EvalError(f"unsupported operand for {symbol}")
            if isinstance(v, int) and v.bit_length() > MAX_INT_BITS:
                raise EvalError("the number is too large")
        if symbol == "@":
            raise EvalError("@ needs tensors")
        try:
            value = _apply(symbol, left, right)
        except OverflowError:
            raise EvalError("the number is too large") from None
        if isinstance(value, complex) or not math.isfinite(value) or \
                (isinstance(value, int) and value.bit_length() > MAX_INT_BITS):
            raise EvalError("the number is too large")
        return value

    def _check_matmul(self, ls, rs):
        if len(ls) not in (1, 2) or len(rs) not in (1, 2):
            raise EvalError("@ works on 1-D and 2-D tensors here")
        if ls[-1] != rs[0]:
            raise EvalError(f"size mismatch for @: {list(ls)} and {list(rs)}")
        out = ls[:-1] + rs[1:]
        if 2 * _numel(ls) * (rs[1] if len(rs) == 2 else 1) > MAX_MATMUL_FLOPS:
            raise EvalError("the matrix product is too large")
        self._admit(out)

    def args(self, call):
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise EvalError("*args and **kwargs are not allowed")
        for k in call.keywords:
            if k.arg not in KEYWORDS:
                raise EvalError(f"keyword argument '{k.arg}' is not allowed")
        args = [self.argument(a) for a in call.args]
        kwargs = {k.arg: self.argument(k.value) for k in call.keywords}
        return args, kwargs

    def argument(self, node):
        if isinstance(node, (ast.List, ast.Tuple)):
            return self.literal_list(node)
        return self.expr(node)

    def literal_list(self, node, depth=0):
        if depth > 3 or len(node.elts) > MAX_LIST_ITEMS:
            raise EvalError("lists may be at most 3 levels deep")
        items = []
        for elt in node.elts:
            if isinstance(elt, (ast.List, ast.Tuple)):
                items.append(self.literal_list(elt, depth + 1))
            elif isinstance(elt, ast.UnaryOp) and isinstance(elt.op, ast.USub) and isinstance(elt.operand, ast.Constant):
                items.append(-self.constant(elt.operand.value))
            elif isinstance(elt, ast.Constant):
                items.append(self.constant(elt.value))
            else:
                raise EvalError("lists may hold only numbers")
        return items

    def call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in MODULE_NAMES:
            name = func.attr
            if name not in FUNCTIONS:
                raise EvalError(f"torch.{name} is not available here" if not name.startswith("_")
                                else "names starting with '_' are not allowed")
            args, kwargs = self.args(node)
            self._precheck_function(name, args, kwargs)
            self._count_op()
            return FUNCTIONS[name](*args, **kwargs)
        if isinstance(func, ast.Attribute):
            if func.attr.startswith("_"):
                raise EvalError("attributes starting with '_' are not allowed")
            if func.attr not in METHODS:
                raise EvalError(f"the method .{func.attr}() is not allowed")
            target = self.expr(func.value)
            if not isinstance(target, engine.Tensor):
                raise EvalError(f".{func.attr}() needs a tensor")
            args, kwargs = self.args(node)
            if func.attr == "pow" and args:
                self._check_exponent(node.args[0], args[0])
            if func.attr == "matmul" and args:
                self._check_matmul(tuple(target.shape), _shape(args[0]) or ())
            self._count_op()
            return _call_method(target, func.attr, args, kwargs)
        if isinstance(func, ast.Name) and isinstance(self.result.namespace.get(func.id), UserFunction):
            return self.call_user(self.result.namespace[func.id], node)
        raise EvalError("only torch.<function>(...), tensor methods and functions defined above can be called")

    def define(self, stmt: ast.FunctionDef):
        a = stmt.args
        if stmt.decorator_list or stmt.returns or getattr(stmt, "type_params", None):
            raise EvalError(f"line {stmt.lineno}: decorators, annotations and type parameters are not allowed")
        if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or \
                any(arg.annotation for arg in a.args):
            raise EvalError(f"line {stmt.lineno}: only plain parameters are allowed, e.g. def f(x, y):")
        params = tuple(arg.arg for arg in a.args)
        for name in (stmt.name,) + params:
            self._check_name(name)
        if len(set(params)) != len(params) or len(params) > MAX_PARAMS:
            raise EvalError(f"line {stmt.lineno}: at most {MAX_PARAMS} parameters, each named once")
        if len(stmt.body) != 1 or not isinstance(stmt.body[0], ast.Return) or stmt.body[0].value is None:
            raise EvalError(f"line {stmt.lineno}: a function body must be a single `return expression`")
        self.result.namespace.pop(stmt.name, None)
        self.result.namespace[stmt.name] = UserFunction(stmt.name, params, stmt.body[0].value)

    def call_user(self, function: UserFunction, node: ast.Call):
        if self.locals is not None:
            raise EvalError("a function defined here may not call another one")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise EvalError(f"call {function.name}() with positional arguments only")
        if len(node.args) != len(function.params):
            raise EvalError(f"{function.name}() takes {len(function.params)} arguments ({len(node.args)} given)")
        values = [self.expr(a) for a in node.args]
        self.locals = dict(zip(function.params, values))
        try:
            return self.expr(function.body)
        finally:
            self.locals = None

    def attribute(self, node):
        if node.attr.startswith("_"):
            raise EvalError("attributes starting with '_' are not allowed")
        if isinstance(node.value, ast.Name) and node.value.id in MODULE_NAMES:
            if node.attr in DTYPES:
                return DTYPES[node.attr]
            raise EvalError(f"torch.{node.attr} is not available here")
        if node.attr not in PROPERTIES:
            raise EvalError(f"the attribute .{node.attr} is not allowed")
        target = self.expr(node.value)
        if not isinstance(target, engine.Tensor):
            raise EvalError(f".{node.attr} needs a tensor")
        if len(target.shape) > 2:
            raise EvalError(".T works on 1-D and 2-D tensors here")
        self._count_op()
        return target.T

    def _precheck_function(self, name, args, kwargs):
        if name in ("ones", "zeros", "rand", "randn"):
            dims = args[0] if len(args) == 1 and isinstance(args[0], list) else args
            if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in dims):
                raise EvalError(f"torch.{name} needs non-negative integer sizes")
            self._admit(tuple(dims))
        elif name == "linspace":
            steps = kwargs.get("steps", args[2] if len(args) > 2 else None)
            if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
                raise EvalError("torch.linspace needs steps=<a non-negative integer>")
            self._admit((steps,))
        elif name == "arange":
            nums = [a for a in args if isinstance(a, (int, float))]
            if len(nums) != len(args) or not nums:
                raise EvalError("torch.arange needs numbers")
            start, end, step = (0, nums[0], 1) if len(nums) == 1 else (nums + [1])[:3]
            if step == 0:
                raise EvalError("torch.arange step must not be zero")
            self._admit((max(0, math.ceil((end - start) / step)),))
        elif name == "tensor":
            self._admit((_count_list(args[0]) if args and isinstance(args[0], list) else 1,))
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, engine.Tensor):
                self._admit(tuple(value.shape))


def _count_list(items) -> int:
    return sum(_count_list(i) if isinstance(i, list) else 1 for i in items)


def _broadcast(a: tuple, b: tuple) -> tuple:
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and 1 not in (x, y):
            raise ValueError
        out.append(max(x, y) if 0 not in (x, y) else 0)
    return tuple(reversed(out))


def _apply(symbol, left, right):
    if symbol == "+":
        return left + right
    if symbol == "-":
        return left - right
    if symbol == "*":
        return left * right
    if symbol == "/":
        return left / right
    if symbol == "@":
        return left @ right
    return left ** right


_METHOD_CALLS = {
    "sum": lambda t, *a, **k: t.sum(*a, **k), "mean": lambda t, *a, **k: t.mean(*a, **k),
    "pow": lambda t, *a, **k: t.pow(*a, **k), "exp": lambda t, *a, **k: t.exp(*a, **k),
    "log": lambda t, *a, **k: t.log(*a, **k), "tanh": lambda t, *a, **k: t.tanh(*a, **k),
    "relu": lambda t, *a, **k: t.relu(*a, **k), "sigmoid": lambda t, *a, **k: t.sigmoid(*a, **k),
    "sqrt": lambda t, *a, **k: t.sqrt(*a, **k), "abs": lambda t, *a, **k: t.abs(*a, **k),
    "sin": lambda t, *a, **k: t.sin(*a, **k), "cos": lambda t, *a, **k: t.cos(*a, **k),
    "squeeze": lambda t, *a, **k: t.squeeze(*a, **k), "unsqueeze": lambda t, *a, **k: t.unsqueeze(*a, **k),
    "t": lambda t, *a, **k: t.t(*a, **k), "matmul": lambda t, *a, **k: t.matmul(*a, **k),
    "neg": lambda t, *a, **k: t.neg(*a, **k),
    "round": lambda t, *a, **k: t.round(*a, **k), "floor": lambda t, *a, **k: t.floor(*a, **k),
    "ceil": lambda t, *a, **k: t.ceil(*a, **k), "sign": lambda t, *a, **k: t.sign(*a, **k),
    "tan": lambda t, *a, **k: t.tan(*a, **k), "atan": lambda t, *a, **k: t.atan(*a, **k),
    "sinh": lambda t, *a, **k: t.sinh(*a, **k), "cosh": lambda t, *a, **k: t.cosh(*a, **k),
    "log1p": lambda t, *a, **k: t.log1p(*a, **k), "expm1": lambda t, *a, **k: t.expm1(*a, **k),
    "erf": lambda t, *a, **k: t.erf(*a, **k), "cumsum": lambda t, *a, **k: t.cumsum(*a, **k),
    "logcumsumexp": lambda t, *a, **k: t.logcumsumexp(*a, **k),
    "amax": lambda t, *a, **k: t.amax(*a, **k), "amin": lambda t, *a, **k: t.amin(*a, **k),
    "logsumexp": lambda t, *a, **k: t.logsumexp(*a, **k),
    "softmax": lambda t, *a, **k: t.softmax(*a, **k),
    "log_softmax": lambda t, *a, **k: t.log_softmax(*a, **k),
}
assert set(_METHOD_CALLS) == METHODS


def _call_method(tensor, name, args, kwargs):
    """Explicit dispatch: the method name comes from METHODS, never from user text."""
    return _METHOD_CALLS[name](tensor, *args, **kwargs)
