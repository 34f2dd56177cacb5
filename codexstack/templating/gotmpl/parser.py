"""The parser of Go's ``text/template`` (a port of ``text/template/parse/parse.go``).

It keeps Go's three-token lookahead buffer and its quirks on purpose, because error
messages (``template: NAME:LINE: unexpected "}" in operand``) and even node positions follow
from them. ``define`` and ``block`` bodies become separate trees of the same set; variables
must be declared before use and functions must exist at parse time, as in Go.
"""

from __future__ import annotations

from collections.abc import Container

from codexstack.golang import SyntaxErr, quote, unquote
from codexstack.templating.gotmpl import control
from codexstack.templating.gotmpl import lexer as L
from codexstack.templating.gotmpl import nodes as N
from codexstack.templating.gotmpl.numbers import parse_number

MAX_PAREN_DEPTH = 200  # Go allows 10000; Python's stack is the tighter bound here


class ParseError(Exception):
    """A template that does not parse; ``line`` is the line Go reports."""

    def __init__(self, message: str, name: str, line: int, detail: str) -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.line = line
        self.detail = detail


class _Stream:
    """The shared lexer output: define/block sub-parsers continue where the parent stopped."""

    def __init__(self, items: list[L.Item]) -> None:
        self.items = items
        self.i = 0
        self.last = len(items) - 1

    def next_item(self) -> L.Item:
        i = self.i
        self.i = i + 1
        return self.items[i if i < self.last else self.last]


_EMPTY = L.Item(L.EOF, 0, "", 0)
_SPACE = L.SPACE
_OPERAND_START = frozenset(
    {
        L.BOOL,
        L.CHAR_CONSTANT,
        L.COMPLEX,
        L.DOT,
        L.FIELD,
        L.IDENTIFIER,
        L.NUMBER,
        L.NIL,
        L.RAW_STRING,
        L.STRING,
        L.VARIABLE,
        L.LEFT_PAREN,
    }
)
_LITERAL_NODES = (N.BoolNode, N.DotNode, N.NilNode, N.NumberNode, N.StringNode)


class TreeParser:
    """Parses one tree (the top level, a ``define`` or a ``block`` body)."""

    def __init__(
        self,
        name: str,
        info: N.TreeInfo,
        stream: _Stream,
        funcs: Container[str],
        tree_set: dict[str, N.Tree],
    ) -> None:
        self.tree = N.Tree(N.TreeInfo(name, info.parse_name, info.text))
        self.stream = stream
        self.funcs = funcs
        self.tree_set = tree_set
        self.token = [_EMPTY, _EMPTY, _EMPTY]
        self.peek_count = 0
        self.vars = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.stack_depth = 0

    @property
    def info(self) -> N.TreeInfo:
        return self.tree.info

    # -- token buffer -----------------------------------------------------------------------

    def next(self) -> L.Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.stream.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: L.Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: L.Item, t1: L.Item) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> L.Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.stream.next_item()
        return self.token[0]

    def next_non_space(self) -> L.Item:
        # next() written out: the parser asks this for almost every token.
        token = self.token
        while True:
            if self.peek_count > 0:
                self.peek_count -= 1
            else:
                token[0] = self.stream.next_item()
            item = token[self.peek_count]
            if item.typ != _SPACE:
                return item

    def peek_non_space(self) -> L.Item:
        token = self.next_non_space()
        self.backup()
        return token

    # -- errors -----------------------------------------------------------------------------

    def errorf(self, message: str) -> ParseError:
        line = self.token[0].line
        full = f"template: {self.info.parse_name}:{line}: {message}"
        return ParseError(full, self.info.parse_name, line, message)

    def expect(self, expected: int, context: str) -> L.Item:
        token = self.next_non_space()
        if token.typ != expected:
            raise self.unexpected(token, context)
        return token

    def unexpected(self, token: L.Item, context: str) -> ParseError:
        if token.typ == L.ERROR:
            extra = ""
            if self.action_line not in (0, token.line):
                extra = f" in action started at {self.info.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            return self.errorf(f"{token}{extra}")
        return self.errorf(f"unexpected {token} in {context}")

    def unquote(self, token: L.Item) -> str:
        try:
            return unquote(token.val)
        except SyntaxErr as exc:
            raise self.errorf(str(exc)) from None

    # -- structure --------------------------------------------------------------------------

    def sub_parser(self, name: str) -> TreeParser:
        return TreeParser(name, self.info, self.stream, self.funcs, self.tree_set)

    def add(self) -> None:
        existing = self.tree_set.get(self.tree.name)
        if existing is None or N.is_empty_tree(existing.root):
            self.tree_set[self.tree.name] = self.tree
            return
        if not N.is_empty_tree(self.tree.root):
            raise self.errorf(f"template: multiple definition of template {quote(self.tree.name)}")

    def parse(self) -> None:
        """The top level: text, actions and ``define`` clauses up to EOF."""
        root = N.ListNode(self.info, self.peek().pos)
        self.tree.root = root
        while self.peek().typ != L.EOF:
            if self.peek().typ == L.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == L.DEFINE:
                    self.sub_parser("definition").parse_definition()
                    continue
                self.backup2(delim)
            n = self.text_or_action()
            if isinstance(n, N.EndNode | N.ElseNode):
                raise self.errorf(f"unexpected {n}")
            root.nodes.append(n)
        self.add()

    def parse_definition(self) -> None:
        context = "define clause"
        token = self.next_non_space()
        if token.typ not in (L.STRING, L.RAW_STRING):
            raise self.unexpected(token, context)
        self.tree.info.name = self.unquote(token)
        self.expect(L.RIGHT_DELIM, context)
        self.tree.root, end = self.item_list()
        if not isinstance(end, N.EndNode):
            raise self.errorf(f"unexpected {end} in {context}")
        self.add()

    def item_list(self) -> tuple[N.ListNode, N.Node]:
        body = N.ListNode(self.info, self.peek_non_space().pos)
        while self.peek_non_space().typ != L.EOF:
            n = self.text_or_action()
            if isinstance(n, N.EndNode | N.ElseNode):
                return body, n
            body.nodes.append(n)
        raise self.errorf("unexpected EOF")

    def text_or_action(self) -> N.Node:
        token = self.next_non_space()
        if token.typ == L.TEXT:
            return N.TextNode(self.info, token.pos, token.val)
        if token.typ == L.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        raise self.unexpected(token, "input")

    def action(self) -> N.Node:
        token = self.next_non_space()
        handler = control.KEYWORD_HANDLERS.get(token.typ)
        if handler is not None:
            return handler(self, token)
        self.backup()
        token = self.peek()
        return N.ActionNode(
            self.info, token.pos, token.line, self.pipeline("command", L.RIGHT_DELIM)
        )

    # -- pipelines --------------------------------------------------------------------------

    def pipeline(self, context: str, end: int) -> N.PipeNode:
        token = self.peek_non_space()
        pipe = N.PipeNode(self.info, token.pos, token.line)
        self._declarations(pipe, context)
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ not in _OPERAND_START:
                raise self.unexpected(token, context)
            self.backup()
            pipe.cmds.append(self.command())

    def _declarations(self, pipe: N.PipeNode, context: str) -> None:
        while True:
            v = self.peek_non_space()
            if v.typ != L.VARIABLE:
                return
            self.next()
            after = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (L.ASSIGN, L.DECLARE):
                pipe.is_assign = nxt.typ == L.ASSIGN
                self.next_non_space()
                pipe.decl.append(N.VariableNode(self.info, v.pos, v.val))
                self.vars.append(v.val)
                return
            if nxt.typ == L.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(N.VariableNode(self.info, v.pos, v.val))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (L.VARIABLE, L.RIGHT_DELIM, L.RIGHT_PAREN):
                        continue
                    raise self.errorf("range can only initialize variables")
                raise self.errorf(f"too many declarations in {context}")
            if after.typ == L.SPACE:
                self.backup3(v, after)
            else:
                self.backup2(v)
            return

    def check_pipeline(self, pipe: N.PipeNode, context: str) -> None:
        if not pipe.cmds:
            raise self.errorf(f"missing value for {context}")
        for i, cmd in enumerate(pipe.cmds[1:]):
            if isinstance(cmd.args[0], _LITERAL_NODES):
                raise self.errorf(f"non executable command in pipeline stage {i + 2}")

    def command(self) -> N.CommandNode:
        cmd = N.CommandNode(self.info, self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == L.SPACE:
                continue
            if token.typ in (L.RIGHT_DELIM, L.RIGHT_PAREN):
                self.backup()
            elif token.typ != L.PIPE:
                raise self.unexpected(token, "operand")
            break
        if not cmd.args:
            raise self.errorf("empty command")
        return cmd

    def operand(self) -> N.Node | None:
        node = self.term()
        if node is None or self.peek().typ != L.FIELD:
            return node
        chain = N.ChainNode(self.info, self.peek().pos, node)
        while self.peek().typ == L.FIELD:
            chain.field.append(self.next().val[1:])
        if isinstance(node, N.FieldNode):
            return N.FieldNode(self.info, chain.pos, str(chain))
        if isinstance(node, N.VariableNode):
            return N.VariableNode(self.info, chain.pos, str(chain))
        if isinstance(node, _LITERAL_NODES):
            raise self.errorf(f"unexpected . after term {quote(str(node))}")
        return chain

    def term(self) -> N.Node | None:
        token = self.next_non_space()
        typ, info = token.typ, self.info
        if typ == L.IDENTIFIER:
            if token.val not in self.funcs:
                raise self.errorf(f"function {quote(token.val)} not defined")
            return N.IdentifierNode(info, token.pos, token.val)
        if typ == L.DOT:
            return N.DotNode(info, token.pos)
        if typ == L.NIL:
            return N.NilNode(info, token.pos)
        if typ == L.VARIABLE:
            return self.use_var(token)
        if typ == L.FIELD:
            return N.FieldNode(info, token.pos, token.val)
        if typ == L.BOOL:
            return N.BoolNode(info, token.pos, token.val == "true")
        if typ in (L.CHAR_CONSTANT, L.COMPLEX, L.NUMBER):
            try:
                number = parse_number(token.val, typ)
            except ValueError as exc:
                raise self.errorf(str(exc)) from None
            return N.NumberNode(info, token.pos, token.val, number)
        if typ == L.LEFT_PAREN:
            if self.stack_depth >= MAX_PAREN_DEPTH:
                raise self.errorf("max expression depth exceeded")
            self.stack_depth += 1
            try:
                return self.pipeline("parenthesized pipeline", L.RIGHT_PAREN)
            finally:
                self.stack_depth -= 1
        if typ in (L.STRING, L.RAW_STRING):
            return N.StringNode(info, token.pos, token.val, self.unquote(token))
        self.backup()
        return None

    def use_var(self, token: L.Item) -> N.VariableNode:
        v = N.VariableNode(self.info, token.pos, token.val)
        if v.ident[0] not in self.vars:
            raise self.errorf(f"undefined variable {quote(v.ident[0])}")
        return v


def parse(name: str, text: str, funcs: Container[str]) -> dict[str, N.Tree]:
    """Parse ``text`` as template ``name``; returns every tree it defines, by name."""
    items = L.lex(text, break_ok="break" not in funcs, continue_ok="continue" not in funcs)
    tree_set: dict[str, N.Tree] = {}
    top = TreeParser(name, N.TreeInfo(name, name, text), _Stream(items), funcs, tree_set)
    top.parse()
    return tree_set
