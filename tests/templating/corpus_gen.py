"""A seeded random generator of Go templates and data for the differential test.

Templates are drawn from a small grammar: text, trimmed and untrimmed actions, pipelines
over fields, variables, literals (all number syntaxes, escaped strings, runes) and
functions (builtins, printf with random flags/width/precision/verbs, codexctl's helpers),
``if``/``else if``/``with``/``range`` with variables, ``break``/``continue``, assignments
and ``define``/``template``. Most cases are valid; some are not, on purpose. Data is a
map of random values of every kind the value model knows. Same seed, same case.
"""

from __future__ import annotations

import random
from typing import Any

from tests.templating.corpus_data import smap, sslice, struct, typed

_STRINGS = [
    "",
    "a",
    "hello",
    "Hello World",
    "  pad ",
    "x_y z",
    "héllo",
    "☃",
    "v1.2.3",
    "it's",
    'q"q',
    "a\nb",
    "tab\there",
    "<b>&</b>",
    "0123456789abcdef0123",
    "UPPER",
    "%d",
    "-",
]
_FLOATS = [0.0, 1.0, -1.0, 0.5, 2.5, 3.14159, -0.001, 1e-7, 1e21, 123456.789, 1e6, 100.0, 2.0 / 3.0]
_INTS = [0, 1, -1, 7, 42, -42, 255, 65, 1000000, -9999, 9731, 3]
_VERBS = "vvvdsqxXobeEfgGtcUT"
_FUNCS1 = [
    "len",
    "html",
    "js",
    "urlquery",
    "print",
    "println",
    "not",
    "toLower",
    "slug",
    "truncSHA",
]
_STRING_FUNCS = {"toLower", "slug", "truncSHA"}
_LAYOUTS = [
    "2006-01-02",
    "15:04:05",
    "Jan _2 Mon",
    "2006-01-02T15:04:05.000Z07:00",
    "3PM .999",
    "002 06 MST",
]


class Gen:
    """One random case (template and data) per seed."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.vars: list[list[str]] = [[]]
        self.in_range = 0
        self.dot_moved = 0
        self.defined: list[str] = []

    # -- data -------------------------------------------------------------------------------

    def scalar(self) -> Any:
        kind = self.r.randrange(5)
        if kind == 0:
            return self.r.choice(_STRINGS)
        if kind == 1:
            return self.r.choice(_INTS)
        if kind == 2:
            return self.r.choice(_FLOATS)
        if kind == 3:
            return self.r.random() < 0.5
        return None if self.r.random() < 0.3 else self.r.choice(_STRINGS)

    def data(self) -> dict[str, Any]:
        r = self.r
        return {
            "S": r.choice(_STRINGS),
            "T": r.choice(_STRINGS),
            "N": r.choice(_INTS),
            "M": r.choice(_INTS),
            "F": r.choice(_FLOATS),
            "B": r.random() < 0.5,
            "L": [self.scalar() for _ in range(r.randrange(4))],
            "SL": sslice([r.choice(_STRINGS) for _ in range(r.randrange(4))]),
            "MP": {k: self.scalar() for k in r.sample("abcd", r.randrange(4))},
            "SM": smap(
                {k: r.choice(_STRINGS) for k in r.sample(["k", "K", "x", "ä"], r.randrange(4))}
            ),
            "IM": typed(
                "map",
                k="int",
                e="string",
                v={str(r.choice(_INTS)): r.choice(_STRINGS) for _ in range(3)},
            ),
            "I64": typed("int64", v=r.choice(_INTS) * 1000003),
            "Nil": None,
            "St": struct(
                ("A", "string", r.choice(_STRINGS)),
                ("B", "int", r.choice(_INTS)),
                ("C", "float64", r.choice(_FLOATS)),
                (
                    "P",
                    {"ptr": {"struct": [["X", "string"]]}},
                    typed("nil", type={"ptr": {"struct": [["X", "string"]]}}),
                ),
            ),
            "Tm": typed("time", v={"s": r.randrange(-(10**10), 10**10), "n": r.randrange(10**9)}),
        }

    # -- operands ---------------------------------------------------------------------------

    def string_lit(self) -> str:
        s = self.r.choice(_STRINGS)
        if self.r.random() < 0.2 and "`" not in s:
            return "`" + s + "`"
        return (
            '"'
            + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
            + '"'
        )

    def number_lit(self) -> str:
        r = self.r
        n = r.choice(_INTS)
        form = r.randrange(8)
        if form == 0 and n >= 0:
            return hex(n)
        if form == 1 and n >= 0:
            return "0o" + format(n, "o")
        if form == 2 and n >= 0:
            return "0b" + format(n, "b")
        if form == 3:
            return repr(r.choice(_FLOATS))
        if form == 4 and n >= 1000:
            return f"{n:_}"
        if form == 5:
            return r.choice(["'a'", "'\\n'", "'☃'", "'\\x41'", "1e3", "1.5", ".5", "0x1p-2", "2i"])
        return str(n)

    def field(self) -> str:
        r = self.r
        options = [
            ".S",
            ".T",
            ".N",
            ".M",
            ".F",
            ".B",
            ".L",
            ".SL",
            ".MP",
            ".SM",
            ".IM",
            ".I64",
            ".Nil",
            ".St",
            ".St.A",
            ".St.B",
            ".St.C",
            ".St.P",
            ".Tm",
            ".MP.a",
            ".MP.b",
            ".SM.k",
            ".Missing",
            ".",
        ]
        if self.visible_vars() and r.random() < 0.3:
            return r.choice(self.visible_vars())
        chosen = r.choice(options)
        if self.dot_moved and chosen != "." and r.random() < 0.85:
            return "$" + chosen
        return chosen

    def str_operand(self, depth: int) -> str:
        """Mostly string-typed operands, for functions with string parameters."""
        r = self.r
        if r.random() < 0.1:
            return self.operand(depth)
        choice = r.choice([".S", ".T", ".St.A", "lit", "lit", "lit", "call"])
        if choice == "lit":
            return self.string_lit()
        if choice == "call":
            return f"(printf {self.format_string()} {self.operand(0)})"
        return ("$" if self.dot_moved else "") + choice

    def operand(self, depth: int) -> str:
        roll = self.r.random()
        if roll < 0.35:
            return self.field()
        if roll < 0.6:
            return self.string_lit()
        if roll < 0.72:
            return self.number_lit()
        if roll < 0.76:
            return self.r.choice(["true", "false"])
        if depth > 0 and roll < 0.95:
            return "(" + self.call(depth - 1) + ")"
        if depth > 0 and roll < 0.97:
            return self.chain()
        return self.r.choice(["nil", "$", ".Tm.Year", ".Tm.Unix", "$.G.Name", "$.St.P"])

    def chain(self) -> str:
        """A field chain on a parenthesized value, a method call or a function value."""
        return self.r.choice(
            [
                '(index $.MP "a")',
                "($.St).A",
                '(index $.Nest "in").deep',
                '($.G.Hello "yo")',
                "$.G.Pair",
                "(call $.Fn $.T)",
                "(now).Year",
                "$.Nest.in.deep",
                "$.Nest.in.nope",
            ]
        )

    def format_string(self) -> str:
        r = self.r
        parts = []
        for _ in range(r.randrange(1, 4)):
            if r.random() < 0.4:
                parts.append(r.choice(["", "x", " ", "-", "[", "]", "é", "%%"]))
            flags = "".join(r.sample("+-# 0", r.randrange(3)))
            width = r.choice(["", "", "", str(r.randrange(12)), "*"])
            prec = r.choice(["", "", "", "." + str(r.randrange(8)), ".", ".*"])
            index = "[" + str(r.randrange(1, 4)) + "]" if r.random() < 0.05 else ""
            parts.append("%" + flags + index + width + prec + r.choice(_VERBS))
        if r.random() < 0.03:
            parts.append("%")
        return '"' + "".join(parts).replace("\\", "\\\\").replace('"', '\\"') + '"'

    def args(self, depth: int, lo: int, hi: int) -> str:
        return " ".join(self.operand(depth) for _ in range(self.r.randrange(lo, hi + 1)))

    def root(self, name: str) -> str:
        return ("$" if self.dot_moved else "") + name

    def int_operand(self) -> str:
        return self.r.choice(
            [self.root(".N"), self.root(".M"), "0", "1", "2", "-1", "3", "0x2", "'\\x01'"]
        )

    def typed_pair(self, depth: int) -> str:
        """Two operands of one basic kind (what eq/lt accept), now and then a mismatch."""
        r = self.r
        kind = r.randrange(5)
        if kind == 0:
            return f"{self.str_operand(depth)} {self.str_operand(depth)}"
        if kind == 1:
            return f"{self.int_operand()} {self.int_operand()}"
        if kind == 2:
            left = r.choice([self.root(".F"), "1.5", "0.0"])
            return f"{left} {r.choice([self.root('.F'), '2.5', '1e3'])}"
        if kind == 3:
            return f"{r.choice([self.root('.B'), 'true'])} {r.choice(['false', self.root('.B')])}"
        return self.args(depth, 2, 2)

    def container(self) -> tuple[str, str]:
        """A container and a fitting index for it."""
        r = self.r
        name, key = r.choice(
            [
                (".L", "0"),
                (".SL", "0"),
                (".SL", "1"),
                (".MP", '"a"'),
                (".SM", '"k"'),
                (".IM", "42"),
                (".S", "0"),
                (".L", "2"),
                (".MP", '"zz"'),
                (".SM", '"zz"'),
                (".IM", "7"),
            ]
        )
        return self.root(name), key

    def call(self, depth: int) -> str:
        r = self.r
        if r.random() < 0.08:
            return self.chaos_call(depth)
        kind = r.randrange(15)
        if kind <= 2:
            return f"printf {self.format_string()} {self.args(depth, 0, 3)}".rstrip()
        if kind == 3:
            return f"{r.choice(['eq', 'ne', 'lt', 'le', 'gt', 'ge'])} {self.typed_pair(depth)}"
        if kind == 4:
            return f"{r.choice(['and', 'or'])} {self.args(depth, 1, 3)}"
        if kind == 5:
            target, key = self.container()
            return f"index {target} {key}"
        if kind == 6:
            target = r.choice([self.root(".L"), self.root(".SL"), self.root(".S"), '"abcdef"'])
            bounds = " ".join(r.choice(["0", "1"]) for _ in range(r.randrange(3)))
            return f"slice {target} {bounds}".rstrip()
        if kind == 7:
            fn = r.choice(_FUNCS1)
            arg = self.str_operand(depth) if fn in _STRING_FUNCS else self.operand(depth)
            if fn == "len":
                arg = r.choice([self.container()[0], self.string_lit()])
            return f"{fn} {arg}"
        if kind == 8:
            fn = r.choice(["default", "trimPrefix", "envOr"])
            return f"{fn} {self.str_operand(depth)} {self.str_operand(depth)}"
        if kind == 9:
            cond = r.choice(["true", "false", "$.B", "(eq $.N 42)", "(not $.S)"])
            return f"ternary {cond} {self.args(depth, 2, 2)}"
        if kind == 10:
            return f"join {self.root('.SL')} {self.string_lit()}"
        if kind == 11:
            n = r.choice(["0", "2", "4", "1", "3"])
            return f"indent {n} {self.str_operand(depth)}"
        if kind == 12:
            return f'{r.choice([self.root(".Tm"), "now"])}.Format "{r.choice(_LAYOUTS)}"'
        if kind == 13:
            return f"{r.choice(['toLower', 'slug', 'truncSHA'])} {self.str_operand(depth)}"
        return f"{r.choice(['print', 'println'])} {self.args(depth, 0, 3)}".rstrip()

    def chaos_call(self, depth: int) -> str:
        """Any function with any arguments: mostly errors, on purpose."""
        fn = self.r.choice(
            [
                "eq",
                "lt",
                "index",
                "slice",
                "len",
                "join",
                "indent",
                "default",
                "ternary",
                "toLower",
                "not",
                "and",
                "call",
                "html",
            ]
        )
        return f"{fn} {self.args(depth, 0, 3)}".rstrip()

    def pipeline(self) -> str:
        r = self.r
        head = self.call(2) if r.random() < 0.6 else self.operand(1)
        for _ in range(r.choice([0, 0, 0, 1, 1, 2])):
            head += " | " + r.choice(
                [
                    'printf "%v"',
                    'printf "%q"',
                    "print",
                    "len",
                    "html",
                    "urlquery",
                    "toLower",
                    'default "d"',
                    'trimPrefix "h"',
                    'printf "%s-%s" "p"',
                    'eq "x"',
                    "and 1",
                    "or 0",
                ]
            )
        return head

    # -- structure --------------------------------------------------------------------------

    def visible_vars(self) -> list[str]:
        return [v for scope in self.vars for v in scope]

    def action(self, body: str) -> str:
        r = self.r
        left = r.choice(["{{", "{{", "{{- ", "{{ "])
        right = r.choice(["}}", "}}", " -}}", " }}"])
        return left + body + right

    def text(self) -> str:
        return self.r.choice(["", " ", "\n", "x", " - ", "\n  ", "é", "line\n", "\t"])

    def block(self, depth: int) -> str:
        out = []
        for _ in range(self.r.randrange(1, 3)):
            out.append(self.text())
            out.append(self.statement(depth))
        return "".join(out)

    def statement(self, depth: int) -> str:
        r = self.r
        roll = r.random()
        if depth <= 0 or roll < 0.45:
            return self.action(self.pipeline())
        if roll < 0.55:
            name = f"$v{r.randrange(3)}"
            if name in self.visible_vars() and r.random() < 0.5:
                return self.action(f"{name} = {self.pipeline()}")
            body = self.pipeline()
            self.vars[-1].append(name)
            return self.action(f"{name} := {body}")
        if roll < 0.68:
            return self.control("if", depth)
        if roll < 0.78:
            return self.control("with", depth)
        if roll < 0.93:
            return self.range_(depth)
        if roll < 0.97 and self.in_range:
            return self.action(r.choice(["break", "continue"]))
        return self.template_call()

    def scoped(self, depth: int, moves_dot: bool) -> str:
        """A block in its own variable scope (and with dot moved for with/range bodies)."""
        self.vars.append([])
        self.dot_moved += moves_dot
        out = self.block(depth)
        self.dot_moved -= moves_dot
        self.vars.pop()
        return out

    def control(self, word: str, depth: int) -> str:
        moves = word == "with"
        out = self.action(f"{word} {self.pipeline()}") + self.scoped(depth - 1, moves)
        if self.r.random() < 0.5:
            if self.r.random() < 0.4:
                out += self.action(f"else {word} {self.pipeline()}") + self.scoped(depth - 1, moves)
            out += self.action("else") + self.scoped(depth - 1, False)
        return out + self.action("end")

    def range_(self, depth: int) -> str:
        r = self.r
        target = r.choice(
            ["$.L", "$.SL", "$.MP", "$.SM", "$.IM", "-2", "3", "$.Missing", "$.S", "0", "$.L"]
        )
        self.vars.append([])
        decl = ""
        if target in ("-2", "3", "0"):
            decl = "$e := " if r.random() < 0.5 else ""
            self.vars[-1].extend(["$e"] if decl else [])
        elif r.random() < 0.5:
            decl = "$i, $e := " if r.random() < 0.6 else "$e := "
            self.vars[-1].extend(["$i", "$e"] if "$i" in decl else ["$e"])
        self.in_range += 1
        out = self.action(f"range {decl}{target}") + self.scoped(depth - 1, True)
        self.in_range -= 1
        self.vars.pop()
        if r.random() < 0.3:
            out += self.action("else") + self.scoped(depth - 1, False)
        return out + self.action("end")

    def template_call(self) -> str:
        if not self.defined:
            return self.action(self.pipeline())
        return self.action(f'template "{self.r.choice(self.defined)}" {self.operand(0)}')

    def template(self) -> str:
        r = self.r
        prelude = ""
        if r.random() < 0.2:
            self.vars.append([])
            prelude = '{{define "sub"}}<' + self.block(1) + ">{{end}}"
            self.vars.pop()
            self.defined.append("sub")
        return prelude + self.block(3) + self.text()


_NOISE = ["{", "}", "{{", "}}", "(", ")", "|", "$", ".", '"', "`", "'", "-", " ", "\n", ":=", "/*"]


def mutate(template: str, r: random.Random) -> str:
    """Break a template a little (delete, duplicate or insert), to exercise error paths."""
    for _ in range(r.randrange(1, 3)):
        if not template:
            break
        at = r.randrange(len(template))
        action = r.randrange(3)
        if action == 0:
            template = template[:at] + template[at + 1 :]
        elif action == 1:
            template = template[:at] + template[at] + template[at:]
        else:
            template = template[:at] + r.choice(_NOISE) + template[at:]
    return template


def generated_case(seed: int) -> tuple[str, dict[str, Any]]:
    """The (template, data) pair of one seed; every tenth template is mutated."""
    gen = Gen(seed)
    template, data = gen.template(), gen.data()
    if seed % 10 == 9:
        template = mutate(template, gen.r)
    return template, data
