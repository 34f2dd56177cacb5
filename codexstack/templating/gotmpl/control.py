"""Parsing of the control actions: if, range, with, else, end, break, continue, template, block.

Split from :mod:`.parser` to keep both small; each handler receives the tree parser and
the keyword token just consumed, and returns the node, exactly as the ``*Control`` methods
of Go's parser do (including ``{{else if}}``/``{{else with}}`` chains and the scope of
variables, which ends at ``{{end}}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from codexstack.templating.gotmpl import lexer as L
from codexstack.templating.gotmpl import nodes as N

if TYPE_CHECKING:
    from codexstack.templating.gotmpl.parser import TreeParser

_Control = tuple[int, int, N.PipeNode, N.ListNode, N.ListNode | None]


def parse_control(p: TreeParser, context: str) -> _Control:
    mark = len(p.vars)
    try:
        pipe = p.pipeline(context, L.RIGHT_DELIM)
        if context == "range":
            p.range_depth += 1
        body, nxt = p.item_list()
        if context == "range":
            p.range_depth -= 1
        else_list: N.ListNode | None = None
        if isinstance(nxt, N.ElseNode):
            else_list = _else_branch(p, context, nxt)
        return pipe.pos, pipe.line, pipe, body, else_list
    finally:
        del p.vars[mark:]


def _else_branch(p: TreeParser, context: str, else_node: N.Node) -> N.ListNode:
    # {{else if b}} / {{else with b}} parse as {{else}}{{if b}}...{{end}}{{end}}.
    if context == "if" and p.peek().typ == L.IF:
        p.next()
        chained = N.ListNode(p.info, else_node.pos)
        chained.nodes.append(if_control(p, None))
        return chained
    if context == "with" and p.peek().typ == L.WITH:
        p.next()
        chained = N.ListNode(p.info, else_node.pos)
        chained.nodes.append(with_control(p, None))
        return chained
    else_list, nxt = p.item_list()
    if not isinstance(nxt, N.EndNode):
        raise p.errorf(f"expected end; found {nxt}")
    return else_list


def if_control(p: TreeParser, _token: L.Item | None) -> N.Node:
    return N.IfNode(p.info, *parse_control(p, "if"))


def range_control(p: TreeParser, _token: L.Item | None) -> N.Node:
    return N.RangeNode(p.info, *parse_control(p, "range"))


def with_control(p: TreeParser, _token: L.Item | None) -> N.Node:
    return N.WithNode(p.info, *parse_control(p, "with"))


def end_control(p: TreeParser, _token: L.Item) -> N.Node:
    return N.EndNode(p.info, p.expect(L.RIGHT_DELIM, "end").pos)


def else_control(p: TreeParser, _token: L.Item) -> N.Node:
    peek = p.peek_non_space()
    if peek.typ in (L.IF, L.WITH):
        return N.ElseNode(p.info, peek.pos, peek.line)
    token = p.expect(L.RIGHT_DELIM, "else")
    return N.ElseNode(p.info, token.pos, token.line)


def break_control(p: TreeParser, token: L.Item) -> N.Node:
    return _loop_control(p, token, N.BreakNode, "{{break}}")


def continue_control(p: TreeParser, token: L.Item) -> N.Node:
    return _loop_control(p, token, N.ContinueNode, "{{continue}}")


def _loop_control(p: TreeParser, token: L.Item, cls: type[N.BreakNode], word: str) -> N.Node:
    nxt = p.next_non_space()
    if nxt.typ != L.RIGHT_DELIM:
        raise p.unexpected(nxt, word)
    if p.range_depth == 0:
        raise p.errorf(f"{word} outside {{{{range}}}}")
    return cls(p.info, token.pos, token.line)


def _template_name(p: TreeParser, token: L.Item, context: str) -> str:
    if token.typ not in (L.STRING, L.RAW_STRING):
        raise p.unexpected(token, context)
    return p.unquote(token)


def template_control(p: TreeParser, _kw: L.Item) -> N.Node:
    context = "template clause"
    token = p.next_non_space()
    name = _template_name(p, token, context)
    pipe: N.PipeNode | None = None
    if p.next_non_space().typ != L.RIGHT_DELIM:
        p.backup()
        pipe = p.pipeline(context, L.RIGHT_DELIM)
    return N.TemplateNode(p.info, token.pos, token.line, name, pipe)


def block_control(p: TreeParser, _kw: L.Item) -> N.Node:
    context = "block clause"
    token = p.next_non_space()
    name = _template_name(p, token, context)
    pipe = p.pipeline(context, L.RIGHT_DELIM)
    block = p.sub_parser(name)
    block.tree.root, end = block.item_list()
    if not isinstance(end, N.EndNode):
        raise p.errorf(f"unexpected {end} in {context}")
    block.add()
    return N.TemplateNode(p.info, token.pos, token.line, name, pipe)


KEYWORD_HANDLERS: dict[int, Callable[[TreeParser, L.Item], N.Node]] = {
    L.BLOCK: block_control,
    L.BREAK: break_control,
    L.CONTINUE: continue_control,
    L.ELSE: else_control,
    L.END: end_control,
    L.IF: if_control,
    L.RANGE: range_control,
    L.TEMPLATE: template_control,
    L.WITH: with_control,
}
