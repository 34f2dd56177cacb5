"""The executor of the Go template dialect (a port of ``text/template/exec.go``).

It walks a parse tree with a dot value, a variable stack and the template set, writing
text and printed values. Field access goes only through the value model: struct fields and
methods declared on a :class:`~.types.GoType`, and map keys. ``missingkey=default``: a
missing key is an invalid value that prints ``<no value>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from codexstack.golang import quote
from codexstack.templating.gotmpl import nodes as N
from codexstack.templating.gotmpl.calls import CallMixin, ExecError
from codexstack.templating.gotmpl.indirection import indirect, printable, truth
from codexstack.templating.gotmpl.printer import map_sort_key, sprint
from codexstack.templating.gotmpl.types import INT_KINDS, UINT_KINDS, Kind
from codexstack.templating.gotmpl.values import (
    MISSING,
    NO_VALUE,
    GoFunc,
    GoStruct,
    IfaceBox,
    box,
    int_of,
    typeof,
)

MAX_EXEC_DEPTH = 200  # Go allows 100000 nested {{template}} calls; Python's stack is smaller
MAX_STEPS = 5_000_000  # Go has no limit; this bounds time and output of runaway loops

__all__ = ["ExecError", "State"]


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _value_text(v: Any) -> str:
    """A ``reflect.Value`` as ``%v`` shows it inside an error message."""
    return "<invalid reflect.Value>" if v is NO_VALUE else sprint([v])


class State(CallMixin):
    """One execution: output buffer, variable stack, current template and node."""

    def __init__(
        self,
        tmpl_name: str,
        trees: Mapping[str, N.Tree],
        funcs: Mapping[str, GoFunc],
        out: list[str],
        *,
        depth: int = 0,
        budget: list[int] | None = None,
    ) -> None:
        self.tmpl_name = tmpl_name
        self.trees = trees
        self.funcs = funcs
        self.out = out
        self.depth = depth
        self.budget = budget if budget is not None else [MAX_STEPS]
        self.node: N.Node | None = None
        self.vars: list[list[Any]] = []
        self._walkers: dict[type, Callable[[Any, Any], None]] = {
            N.TextNode: self._walk_text,
            N.ActionNode: self._walk_action,
            N.ListNode: self._walk_list,
            N.IfNode: self._walk_if_or_with,
            N.WithNode: self._walk_if_or_with,
            N.RangeNode: self.walk_range,
            N.TemplateNode: self.walk_template,
            N.BreakNode: self._walk_break,
            N.ContinueNode: self._walk_continue,
        }

    # -- variables --------------------------------------------------------------------------

    def push(self, name: str, value: Any) -> None:
        self.vars.append([name, value])

    def mark(self) -> int:
        return len(self.vars)

    def pop(self, mark: int) -> None:
        del self.vars[mark:]

    def set_var(self, name: str, value: Any) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        raise self.errorf(f"undefined variable: {name}")

    def set_top_var(self, n: int, value: Any) -> None:
        self.vars[len(self.vars) - n][1] = value

    def var_value(self, name: str) -> Any:
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        raise self.errorf(f"undefined variable: {name}")

    # -- walking ----------------------------------------------------------------------------

    def walk(self, dot: Any, node: N.Node) -> None:
        self.node = node
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise self.errorf(f"template execution exceeded {MAX_STEPS} steps")
        self._walkers[type(node)](dot, node)

    def _walk_text(self, dot: Any, node: N.TextNode) -> None:
        self.out.append(node.text)

    def _walk_list(self, dot: Any, node: N.ListNode) -> None:
        for child in node.nodes:
            self.walk(dot, child)

    def _walk_action(self, dot: Any, node: N.ActionNode) -> None:
        val = self.eval_pipeline(dot, node.pipe)
        if not node.pipe.decl:
            self.print_value(node, val)

    def _walk_break(self, dot: Any, node: N.Node) -> None:
        raise _Break

    def _walk_continue(self, dot: Any, node: N.Node) -> None:
        raise _Continue

    def _walk_if_or_with(self, dot: Any, node: N.BranchNode) -> None:
        mark = self.mark()
        try:
            val = self.eval_pipeline(dot, node.pipe)
            if truth(val):
                self.walk(val if isinstance(node, N.WithNode) else dot, node.list)
            elif node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            self.pop(mark)

    def walk_range(self, dot: Any, r: N.RangeNode) -> None:
        self.at(r)
        outer = self.mark()
        try:
            val, _ = indirect(self.eval_pipeline(dot, r.pipe))
            if self._range_items(r, val):
                return
            if r.else_list is not None:
                self.walk(dot, r.else_list)
        except _Break:
            pass
        finally:
            self.pop(outer)

    def _range_items(self, r: N.RangeNode, val: Any) -> bool:
        """Run the body per element; False when there was nothing to iterate."""
        mark = self.mark()
        if val is NO_VALUE:
            return False
        gotype = typeof(val)
        kind = gotype.kind
        if kind in INT_KINDS or kind in UINT_KINDS:
            if len(r.pipe.decl) > 1:
                raise self.errorf(
                    f"can't use {_value_text(val)} to iterate over more than one variable"
                )
            for i in range(int(val)):
                self._one_iteration(r, mark, NO_VALUE, int_of(gotype, i))
            return int(val) > 0
        if kind == Kind.SLICE:
            for i, elem in enumerate(list(val)):
                self._one_iteration(r, mark, i, box(elem, gotype.elem))
            return len(val) > 0
        if kind == Kind.MAP:
            for key in sorted(val, key=map_sort_key):
                self._one_iteration(r, mark, key, box(val[key], gotype.elem))
            return len(val) > 0
        raise self.errorf(f"range can't iterate over {_value_text(val)}")

    def _one_iteration(self, r: N.RangeNode, mark: int, index: Any, elem: Any) -> None:
        decl = r.pipe.decl
        if decl:
            if r.pipe.is_assign:
                self.set_var(decl[0].ident[0], index if len(decl) > 1 else elem)
            else:
                self.set_top_var(1, elem)
        if len(decl) > 1:
            if r.pipe.is_assign:
                self.set_var(decl[1].ident[0], elem)
            else:
                self.set_top_var(2, index)
        try:
            self.walk(elem, r.list)
        except _Continue:
            pass
        finally:
            self.pop(mark)

    def walk_template(self, dot: Any, t: N.TemplateNode) -> None:
        self.at(t)
        tree = self.trees.get(t.name)
        if tree is None or tree.root is None:
            raise self.errorf(f"template {quote(t.name)} not defined")
        if self.depth >= MAX_EXEC_DEPTH:
            raise self.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        dot = self.eval_pipeline(dot, t.pipe)
        inner = State(
            t.name, self.trees, self.funcs, self.out, depth=self.depth + 1, budget=self.budget
        )
        inner.push("$", dot)
        inner.walk(dot, tree.root)

    # -- evaluation -------------------------------------------------------------------------

    def eval_pipeline(self, dot: Any, pipe: N.PipeNode | None) -> Any:
        if pipe is None:
            return NO_VALUE
        self.at(pipe)
        value = MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
            if value is None:  # a nil interface{} result unwraps to no value
                value = NO_VALUE
            elif type(value) is IfaceBox:
                value = value.value
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.push(var.ident[0], value)
        return value

    def not_a_function(self, args: Sequence[N.Node], final: Any) -> None:
        if len(args) > 1 or final is not MISSING:
            raise self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, cmd: N.CommandNode, final: Any) -> Any:
        first = cmd.args[0]
        if isinstance(first, N.FieldNode):
            return self.eval_field_node(dot, first, cmd.args, final)
        if isinstance(first, N.ChainNode):
            return self.eval_chain_node(dot, first, cmd.args, final)
        if isinstance(first, N.IdentifierNode):
            return self.eval_function(dot, first, cmd, cmd.args, final)
        if isinstance(first, N.PipeNode):
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)
        if isinstance(first, N.VariableNode):
            return self.eval_variable_node(dot, first, cmd.args, final)
        self.at(first)
        self.not_a_function(cmd.args, final)
        if isinstance(first, N.BoolNode):
            return first.true
        if isinstance(first, N.DotNode):
            return dot
        if isinstance(first, N.NilNode):
            raise self.errorf("nil is not a command")
        if isinstance(first, N.NumberNode):
            return self.ideal_constant(first)
        if isinstance(first, N.StringNode):
            return first.text
        raise self.errorf(f"can't evaluate command {quote(str(first))}")

    def eval_field_node(
        self, dot: Any, field: N.FieldNode, args: Sequence[N.Node] | None, final: Any
    ) -> Any:
        self.at(field)
        return self.eval_field_chain(dot, dot, field, field.ident, args, final)

    def eval_chain_node(
        self, dot: Any, chain: N.ChainNode, args: Sequence[N.Node] | None, final: Any
    ) -> Any:
        self.at(chain)
        if not chain.field:
            raise self.errorf("internal error: no fields in evalChainNode")
        if isinstance(chain.node, N.NilNode):
            raise self.errorf(f"indirection through explicit nil in {chain}")
        pipe = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, pipe, chain, chain.field, args, final)

    def eval_variable_node(
        self, dot: Any, var: N.VariableNode, args: Sequence[N.Node] | None, final: Any
    ) -> Any:
        self.at(var)
        value = self.var_value(var.ident[0])
        if len(var.ident) == 1:
            self.not_a_function(args or [var], final)
            return value
        return self.eval_field_chain(dot, value, var, var.ident[1:], args, final)

    def eval_field_chain(  # noqa: PLR0917 -- mirrors Go's evalFieldChain
        self,
        dot: Any,
        receiver: Any,
        node: N.Node,
        ident: Sequence[str],
        args: Sequence[N.Node] | None,
        final: Any,
    ) -> Any:
        for name in ident[:-1]:
            receiver = self.eval_field(dot, name, node, None, MISSING, receiver)
        return self.eval_field(dot, ident[-1], node, args, final, receiver)

    def eval_field(  # noqa: PLR0917 -- mirrors Go's evalField
        self,
        dot: Any,
        field_name: str,
        node: N.Node,
        args: Sequence[N.Node] | None,
        final: Any,
        receiver: Any,
    ) -> Any:
        if receiver is NO_VALUE:
            return NO_VALUE
        typ = typeof(receiver)
        receiver, is_nil = indirect(receiver)
        if receiver is None:
            raise self.errorf(f"nil pointer evaluating {typ}.{field_name}")
        rtype = typeof(receiver)
        method = rtype.methods.get(field_name)
        if method is not None:
            return self.eval_call(dot, method, False, node, field_name, args, final, receiver)
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if rtype.kind == Kind.STRUCT and field_name in rtype.field_index:
            if not field_name[0].isupper():
                raise self.errorf(f"{field_name} is an unexported field of struct type {typ}")
            if has_args:
                raise self.errorf(f"{field_name} has arguments but cannot be invoked as function")
            assert isinstance(receiver, GoStruct)
            return box(receiver.get(field_name), rtype.fields[rtype.field_index[field_name]][1])
        if rtype.kind == Kind.MAP and rtype.key is not None and rtype.key.kind == Kind.STRING:
            if has_args:
                raise self.errorf(f"{field_name} is not a method but has arguments")
            return box(receiver.get(field_name, NO_VALUE), rtype.elem)
        if is_nil and rtype.elem is not None:
            elem = rtype.elem
            if elem.kind != Kind.STRUCT or field_name in elem.field_index:
                raise self.errorf(f"nil pointer evaluating {typ}.{field_name}")
        raise self.errorf(f"can't evaluate field {field_name} in type {typ}")

    def print_value(self, node: N.Node, v: Any) -> None:
        self.at(node)
        cls = type(v)
        if cls is str:
            self.out.append(v)
            return
        if cls is int:
            self.out.append(str(v))
            return
        shown, ok = printable(v)
        if not ok:
            raise self.errorf(f"can't print {node} of type {typeof(v)}")
        self.out.append(shown if type(shown) is str else sprint([shown]))


def execute(name: str, trees: Mapping[str, N.Tree], funcs: Mapping[str, GoFunc], data: Any) -> str:
    """Run template ``name`` of the set on ``data``; raises :class:`ExecError`."""
    out: list[str] = []
    state = State(name, trees, funcs, out)
    tree = trees.get(name)
    if tree is None or tree.root is None:
        raise state.errorf(f"{quote(name)} is an incomplete or empty template")
    if data is None:  # Execute(nil): the data is an invalid value, not a nil interface
        data = NO_VALUE
    state.push("$", data)
    try:
        state.walk(data, tree.root)
    except RecursionError:
        raise state.errorf("template nesting too deep") from None
    except TypeError as exc:  # data outside the value model (e.g. an arbitrary object)
        raise state.errorf(str(exc)) from None
    return "".join(out)
