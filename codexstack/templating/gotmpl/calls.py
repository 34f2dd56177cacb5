"""Function and method calls in the executor: argument evaluation and conversion.

A port of ``evalFunction``, ``evalCall``, ``evalArg`` and ``validateType`` from
``text/template/exec.go``. A name is looked up in the template's functions before the
builtins. Literals adapt to the parameter type (``indent 2 ...`` passes an ``int``), values
must be assignable (a ``string`` parameter refuses an ``int``: ``wrong type for value;
expected string; got int``), the piped value is the last argument, and ``and``/``or``
evaluate only as many arguments as they need.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from codexstack.golang import quote
from codexstack.templating.gotmpl import nodes as N
from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.builtins import BUILTINS
from codexstack.templating.gotmpl.builtins import call as call_builtin
from codexstack.templating.gotmpl.indirection import truth
from codexstack.templating.gotmpl.numbers import is_ideal_float
from codexstack.templating.gotmpl.types import INT_KINDS, UINT_KINDS, GoType, Kind
from codexstack.templating.gotmpl.values import (
    MISSING,
    NO_VALUE,
    FuncError,
    GoFunc,
    GoPtr,
    IfaceBox,
    NilPtr,
    int_of,
    typeof,
)


class ExecError(Exception):
    """An execution error, formatted as Go formats it, plus where it happened."""

    def __init__(
        self, message: str, name: str, line: int | None, column: int | None, detail: str
    ) -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.line = line
        self.column = column
        self.detail = detail


class StateBase:
    """Error reporting and the hooks :class:`CallMixin` needs from the executor."""

    node: N.Node | None
    tmpl_name: str
    funcs: Mapping[str, GoFunc]

    def at(self, node: N.Node) -> None:
        self.node = node

    def errorf(self, message: str) -> ExecError:
        node = self.node
        if node is None:
            full = f"template: {self.tmpl_name}: {message}"
            return ExecError(full, self.tmpl_name, None, None, message)
        line, col = node.tree.location(node.pos)
        location = f"{node.tree.parse_name}:{line}:{col}"
        detail = f"executing {quote(self.tmpl_name)} at <{node}>: {message}"
        return ExecError(f"template: {location}: {detail}", node.tree.parse_name, line, col, detail)

    def eval_pipeline(self, dot: Any, pipe: N.PipeNode | None) -> Any:
        raise NotImplementedError

    def eval_field_node(
        self, dot: Any, field: N.FieldNode, args: Sequence[N.Node] | None, final: Any
    ) -> Any:
        raise NotImplementedError

    def eval_variable_node(
        self, dot: Any, var: N.VariableNode, args: Sequence[N.Node] | None, final: Any
    ) -> Any:
        raise NotImplementedError

    def eval_chain_node(
        self, dot: Any, chain: N.ChainNode, args: Sequence[N.Node] | None, final: Any
    ) -> Any:
        raise NotImplementedError


class CallMixin(StateBase):
    """evalFunction / evalCall / evalArg / validateType."""

    def eval_function(
        self,
        dot: Any,
        node: N.IdentifierNode,
        cmd: N.Node,
        args: Sequence[N.Node] | None,
        final: Any,
    ) -> Any:
        self.at(node)
        name = node.ident
        fn = self.funcs.get(name)
        is_builtin = False
        if fn is None:
            fn = BUILTINS.get(name)
            is_builtin = True
        if fn is None:
            raise self.errorf(f"{quote(name)} is not a defined function")
        return self.eval_call(dot, fn, is_builtin, cmd, name, args, final)

    def eval_call(  # noqa: PLR0917 -- mirrors Go's evalCall so the port stays checkable
        self,
        dot: Any,
        fun: GoFunc,
        is_builtin: bool,
        node: N.Node,
        name: str,
        args: Sequence[N.Node] | None,
        final: Any,
        receiver: Any = MISSING,
    ) -> Any:
        args = list(args[1:]) if args is not None else []
        ftype = fun.gotype
        params = ftype.params[1:] if receiver is not MISSING else ftype.params
        num_in = len(args) + (final is not MISSING)
        num_fixed = len(args)
        if ftype.variadic:
            num_fixed = len(params) - 1
            if num_in < num_fixed:
                raise self.errorf(
                    f"wrong number of args for {name}: want at least {len(params) - 1} "
                    f"got {len(args)}"
                )
        elif num_in != len(params):
            raise self.errorf(f"wrong number of args for {name}: want {len(params)} got {num_in}")
        if is_builtin and name in ("and", "or"):
            return self._and_or(dot, name, args, final)
        argv = self._build_args(dot, params, ftype.variadic, num_fixed, num_in, args, final)
        fn = fun.fn
        if is_builtin and name == "call":
            callee = str(args[0]) if args else _value_string(final)
            argv.insert(0, callee)
            fn = call_builtin
        if receiver is not MISSING:
            argv.insert(0, receiver)
        try:
            result = fn(*argv)
        except FuncError as exc:
            self.at(node)
            raise self.errorf(f"error calling {name}: {exc}") from None
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
            # A Go function that panics is reported the same way (safeCall).
            self.at(node)
            raise self.errorf(f"error calling {name}: {exc}") from None
        return result

    def _and_or(self, dot: Any, name: str, args: Sequence[N.Node], final: Any) -> Any:
        v: Any = NO_VALUE
        for arg in args:
            v = self.eval_arg(dot, T.VALUE, arg)
            if truth(v) == (name == "or"):
                return v
        if final is not MISSING:
            v = self.validate_type(final, T.VALUE)
        return v

    def _build_args(  # noqa: PLR0917 -- mirrors the argument loop of Go's evalCall
        self,
        dot: Any,
        params: Sequence[GoType],
        variadic: bool,
        num_fixed: int,
        num_in: int,
        args: Sequence[N.Node],
        final: Any,
    ) -> list[Any]:
        argv: list[Any] = []
        i = 0
        while i < num_fixed and i < len(args):
            argv.append(self.eval_arg(dot, params[i], args[i]))
            i += 1
        if variadic:
            elem = params[-1].elem
            assert elem is not None
            while i < len(args):
                argv.append(self.eval_arg(dot, elem, args[i]))
                i += 1
        if final is not MISSING:
            t = params[-1]
            if variadic:
                if num_in - 1 < num_fixed:
                    t = params[num_in - 1]
                else:
                    assert t.elem is not None
                    t = t.elem
            argv.append(self.validate_type(final, t))
        return argv

    def validate_type(self, value: Any, typ: GoType | None) -> Any:
        if value is NO_VALUE:
            if typ is None:
                return NO_VALUE
            if typ.kind in T.NILLABLE_KINDS:
                return T.zero(typ)
            raise self.errorf(f"invalid value; expected {typ}")
        if typ is None or typ.kind == Kind.VALUE:
            return value
        if type(value) is IfaceBox:
            if typ.kind == Kind.IFACE and not typ.methods:
                return value.value
            value = value.value
        vtype = typeof(value)
        if vtype.assignable_to(typ):
            return value
        if (
            isinstance(value, GoPtr | NilPtr)
            and vtype.elem is not None
            and vtype.elem.assignable_to(typ)
        ):
            if isinstance(value, NilPtr):
                raise self.errorf(f"dereference of nil pointer of type {typ}")
            return value.target
        raise self.errorf(f"wrong type for value; expected {typ}; got {vtype}")

    def eval_arg(self, dot: Any, typ: GoType | None, n: N.Node) -> Any:
        self.at(n)
        if isinstance(n, N.DotNode):
            return self.validate_type(dot, typ)
        if isinstance(n, N.NilNode):
            if typ is not None and typ.kind in T.NILLABLE_KINDS:
                return T.zero(typ)
            raise self.errorf(f"cannot assign nil to {typ}")
        if isinstance(n, N.FieldNode):
            return self.validate_type(self.eval_field_node(dot, n, [n], MISSING), typ)
        if isinstance(n, N.VariableNode):
            return self.validate_type(self.eval_variable_node(dot, n, None, MISSING), typ)
        if isinstance(n, N.PipeNode):
            return self.validate_type(self.eval_pipeline(dot, n), typ)
        if isinstance(n, N.IdentifierNode):
            return self.validate_type(self.eval_function(dot, n, n, None, MISSING), typ)
        if isinstance(n, N.ChainNode):
            return self.validate_type(self.eval_chain_node(dot, n, None, MISSING), typ)
        assert typ is not None
        return self._literal_arg(dot, typ, n)

    def _literal_arg(self, dot: Any, typ: GoType, n: N.Node) -> Any:
        kind = typ.kind
        if kind == Kind.BOOL:
            if isinstance(n, N.BoolNode):
                return n.true
            raise self.errorf(f"expected bool; found {n}")
        if kind == Kind.STRING:
            if isinstance(n, N.StringNode):
                return n.text
            raise self.errorf(f"expected string; found {n}")
        if kind in INT_KINDS:
            if isinstance(n, N.NumberNode) and n.num.is_int:
                return int_of(typ, n.num.int64)
            raise self.errorf(f"expected integer; found {n}")
        if kind in UINT_KINDS:
            if isinstance(n, N.NumberNode) and n.num.is_uint:
                return int_of(typ, n.num.uint64)
            raise self.errorf(f"expected unsigned integer; found {n}")
        if kind == Kind.FLOAT64:
            if isinstance(n, N.NumberNode) and n.num.is_float:
                return n.num.float64
            raise self.errorf(f"expected float; found {n}")
        if kind == Kind.COMPLEX128:
            if isinstance(n, N.NumberNode) and n.num.is_complex:
                return n.num.complex128
            raise self.errorf(f"expected complex; found {n}")
        if kind == Kind.VALUE or (kind == Kind.IFACE and not typ.methods):
            return self.eval_empty_interface(dot, n)
        raise self.errorf(f"can't handle {n} for arg of type {typ}")

    def eval_empty_interface(self, dot: Any, n: N.Node) -> Any:
        self.at(n)
        if isinstance(n, N.BoolNode):
            return n.true
        if isinstance(n, N.NumberNode):
            return self.ideal_constant(n)
        if isinstance(n, N.StringNode):
            return n.text
        raise self.errorf(f"can't handle assignment of {n} to empty interface argument")

    def ideal_constant(self, constant: N.NumberNode) -> Any:
        self.at(constant)
        num = constant.num
        if num.is_complex:
            return num.complex128
        if num.is_float and is_ideal_float(constant.text):
            return num.float64
        if num.is_int:
            return num.int64
        if num.is_uint:
            raise self.errorf(f"{constant.text} overflows int")
        return NO_VALUE


def _value_string(v: Any) -> str:
    """``reflect.Value.String()``: the string itself, else ``<T Value>``."""
    if isinstance(v, str):
        return v
    return "<invalid Value>" if v is NO_VALUE else f"<{typeof(v)} Value>"
