"""Parse-tree nodes of the Go template dialect (``text/template/parse/node.go``).

Each node keeps its position (code-point offset into the template text) and the tree it
belongs to, so execution errors can say ``NAME:LINE:COL`` and quote the node the way Go
does (``executing "t" at <.Foo.Bar>``): ``str(node)`` is Go's ``Node.String()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from codexstack.golang import quote


@dataclass(eq=False)
class TreeInfo:
    """What error messages need from a parse tree: its names and the full source text."""

    name: str
    parse_name: str
    text: str

    def location(self, pos: int) -> tuple[int, int]:
        """(1-based line, 0-based byte column) of a position, as ``ErrorContext`` reports."""
        before = self.text[:pos]
        line = 1 + before.count("\n")
        last = before.rfind("\n")
        col_text = before if last < 0 else before[last + 1 :]
        return line, len(col_text.encode("utf-8", "surrogateescape"))


class Node:
    """Base of all nodes."""

    __slots__ = ("pos", "tree")
    TYPE: ClassVar[str] = "node"

    def __init__(self, tree: TreeInfo, pos: int) -> None:
        self.tree = tree
        self.pos = pos


class ListNode(Node):
    __slots__ = ("nodes",)
    TYPE = "list"

    def __init__(self, tree: TreeInfo, pos: int) -> None:
        super().__init__(tree, pos)
        self.nodes: list[Node] = []

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


class TextNode(Node):
    __slots__ = ("text",)
    TYPE = "text"

    def __init__(self, tree: TreeInfo, pos: int, text: str) -> None:
        super().__init__(tree, pos)
        self.text = text

    def __str__(self) -> str:
        return self.text


class PipeNode(Node):
    __slots__ = ("cmds", "decl", "is_assign", "line")
    TYPE = "pipe"

    def __init__(self, tree: TreeInfo, pos: int, line: int) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def __str__(self) -> str:
        out = ""
        if self.decl:
            out = ", ".join(str(v) for v in self.decl)
            out += " = " if self.is_assign else " := "
        return out + " | ".join(str(c) for c in self.cmds)


class ActionNode(Node):
    __slots__ = ("line", "pipe")
    TYPE = "action"

    def __init__(self, tree: TreeInfo, pos: int, line: int, pipe: PipeNode) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.pipe = pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


class CommandNode(Node):
    __slots__ = ("args",)
    TYPE = "command"

    def __init__(self, tree: TreeInfo, pos: int) -> None:
        super().__init__(tree, pos)
        self.args: list[Node] = []

    def __str__(self) -> str:
        return " ".join(f"({a})" if isinstance(a, PipeNode) else str(a) for a in self.args)


class IdentifierNode(Node):
    __slots__ = ("ident",)
    TYPE = "identifier"

    def __init__(self, tree: TreeInfo, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident

    def __str__(self) -> str:
        return self.ident


class VariableNode(Node):
    __slots__ = ("ident",)
    TYPE = "variable"

    def __init__(self, tree: TreeInfo, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident.split(".")

    def __str__(self) -> str:
        return ".".join(self.ident)


class DotNode(Node):
    __slots__ = ()
    TYPE = "dot"

    def __str__(self) -> str:
        return "."


class NilNode(Node):
    __slots__ = ()
    TYPE = "nil"

    def __str__(self) -> str:
        return "nil"


class FieldNode(Node):
    __slots__ = ("ident",)
    TYPE = "field"

    def __init__(self, tree: TreeInfo, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident[1:].split(".")

    def __str__(self) -> str:
        return "".join("." + i for i in self.ident)


class ChainNode(Node):
    __slots__ = ("field", "node")
    TYPE = "chain"

    def __init__(self, tree: TreeInfo, pos: int, node: Node) -> None:
        super().__init__(tree, pos)
        self.node = node
        self.field: list[str] = []

    def __str__(self) -> str:
        base = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return base + "".join("." + f for f in self.field)


class BoolNode(Node):
    __slots__ = ("true",)
    TYPE = "bool"

    def __init__(self, tree: TreeInfo, pos: int, true: bool) -> None:
        super().__init__(tree, pos)
        self.true = true

    def __str__(self) -> str:
        return "true" if self.true else "false"


@dataclass(eq=False)
class NumberValue:
    """The interpretations of a number literal (Go's ``NumberNode`` flags and values)."""

    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = 0j


class NumberNode(Node):
    __slots__ = ("num", "text")
    TYPE = "number"

    def __init__(self, tree: TreeInfo, pos: int, text: str, num: NumberValue) -> None:
        super().__init__(tree, pos)
        self.text = text
        self.num = num

    def __str__(self) -> str:
        return self.text


class StringNode(Node):
    __slots__ = ("quoted", "text")
    TYPE = "string"

    def __init__(self, tree: TreeInfo, pos: int, quoted: str, text: str) -> None:
        super().__init__(tree, pos)
        self.quoted = quoted
        self.text = text

    def __str__(self) -> str:
        return self.quoted


class EndNode(Node):
    __slots__ = ()
    TYPE = "end"

    def __str__(self) -> str:
        return "{{end}}"


class ElseNode(Node):
    __slots__ = ("line",)
    TYPE = "else"

    def __init__(self, tree: TreeInfo, pos: int, line: int) -> None:
        super().__init__(tree, pos)
        self.line = line

    def __str__(self) -> str:
        return "{{else}}"


class BranchNode(Node):
    """if / range / with: a pipeline, a body and an optional else body."""

    __slots__ = ("else_list", "line", "list", "pipe")
    KEYWORD: ClassVar[str] = ""

    def __init__(  # noqa: PLR0917 -- built positionally from parse_control's result
        self,
        tree: TreeInfo,
        pos: int,
        line: int,
        pipe: PipeNode,
        body: ListNode,
        else_list: ListNode | None,
    ) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.pipe = pipe
        self.list = body
        self.else_list = else_list

    def __str__(self) -> str:
        out = "{{" + self.KEYWORD + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            out += "{{else}}" + str(self.else_list)
        return out + "{{end}}"


class IfNode(BranchNode):
    __slots__ = ()
    TYPE = "if"
    KEYWORD = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    TYPE = "range"
    KEYWORD = "range"


class WithNode(BranchNode):
    __slots__ = ()
    TYPE = "with"
    KEYWORD = "with"


class BreakNode(Node):
    __slots__ = ("line",)
    TYPE = "break"

    def __init__(self, tree: TreeInfo, pos: int, line: int) -> None:
        super().__init__(tree, pos)
        self.line = line

    def __str__(self) -> str:
        return "{{break}}"


class ContinueNode(BreakNode):
    __slots__ = ()
    TYPE = "continue"

    def __str__(self) -> str:
        return "{{continue}}"


class TemplateNode(Node):
    __slots__ = ("line", "name", "pipe")
    TYPE = "template"

    def __init__(
        self, tree: TreeInfo, pos: int, line: int, name: str, pipe: PipeNode | None
    ) -> None:
        super().__init__(tree, pos)
        self.line = line
        self.name = name
        self.pipe = pipe

    def __str__(self) -> str:
        out = "{{template " + quote(self.name)
        if self.pipe is not None:
            out += " " + str(self.pipe)
        return out + "}}"


@dataclass(eq=False)
class Tree:
    """One parsed template: its name, root list and the info errors need."""

    info: TreeInfo
    root: ListNode | None = None

    @property
    def name(self) -> str:
        return self.info.name


def is_empty_tree(n: Node | None) -> bool:
    """``parse.IsEmptyTree``: only whitespace text (and comments) in it."""
    if n is None:
        return True
    if isinstance(n, ListNode):
        return all(is_empty_tree(x) for x in n.nodes)
    if isinstance(n, TextNode):
        return all(ch.isspace() and ch not in "\x1c\x1d\x1e\x1f" for ch in n.text)
    return False
