"""Go's ``fmt.Sprint``, ``Sprintf`` and ``Sprintln`` over the template value model.

A port of ``fmt/print.go``: operands are printed by dynamic type (``printArg``), composite
values recursively (``printValue``: ``map[k:v]`` in sorted key order, ``[a b]``, ``{a b}``,
``&{...}`` at the top level), ``String()`` methods are honoured, and every misuse prints
Go's markers instead of failing: ``%!d(string=x)``, ``%!s(MISSING)``, ``%!(EXTRA int=1)``,
``%!(NOVERB)``; :mod:`.printf` walks format strings over the same printer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from codexstack.templating.gotmpl.fmtcore import LDIGITS, UDIGITS, Fmt
from codexstack.templating.gotmpl.types import INT_KINDS, UINT_KINDS, Kind
from codexstack.templating.gotmpl.values import NO_VALUE, GoPtr, GoStruct, NilPtr, typeof

_FAKE_ADDR = 0xC000010000  # Go prints real addresses; any stable stand-in will do


def sprint(args: Sequence[Any]) -> str:
    """``fmt.Sprint``: spaces between operands when neither side is a string."""
    p = Printer()
    prev_string = False
    for i, arg in enumerate(args):
        is_string = arg is not None and typeof(arg).kind == Kind.STRING
        if i > 0 and not is_string and not prev_string:
            p.f.buf.append(" ")
        p.print_arg(arg, "v")
        prev_string = is_string
    return "".join(p.f.buf)


def sprintln(args: Sequence[Any]) -> str:
    """``fmt.Sprintln``: operands separated by spaces, then a newline."""
    p = Printer()
    for i, arg in enumerate(args):
        if i > 0:
            p.f.buf.append(" ")
        p.print_arg(arg, "v")
    p.f.buf.append("\n")
    return "".join(p.f.buf)


def map_sort_key(key: Any) -> tuple[Any, ...]:
    """``internal/fmtsort`` order for the key kinds templates meet (NaN first)."""
    if isinstance(key, float) and math.isnan(key):
        return (0, -1, 0.0)
    if isinstance(key, bool):
        return (1, 0, int(key))
    if isinstance(key, int | float):
        return (0, 0, key)
    if isinstance(key, complex):
        return (0, 0, key.real, key.imag)
    if isinstance(key, str):
        return (2, 0, key.encode("utf-8", "surrogateescape"))
    return (3, 0, str(key))


def _method(arg: Any, name: str) -> Any:
    if arg is None or arg is NO_VALUE:
        return None
    return typeof(arg).methods.get(name)


class Printer:
    """``pp``: one print call's state."""

    __slots__ = ("arg", "erroring", "f", "good_arg_num", "reordered", "value")

    def __init__(self) -> None:
        self.f = Fmt()
        self.arg: Any = None
        self.value: Any = NO_VALUE
        self.erroring = False
        self.reordered = False
        self.good_arg_num = True

    def write(self, s: str) -> None:
        self.f.buf.append(s)

    def bad_verb(self, verb: str) -> None:
        self.erroring = True
        self.write("%!" + verb + "(")
        if self.arg is not None:
            self.write(typeof(self.arg).name + "=")
            self.print_arg(self.arg, "v")
        elif self.value is not NO_VALUE:
            self.write(typeof(self.value).name + "=")
            self.print_value(self.value, "v", 0)
        else:
            self.write("<nil>")
        self.write(")")
        self.erroring = False

    def fmt_bool(self, v: bool, verb: str) -> None:
        if verb in "tv":
            self.f.fmt_boolean(v)
        else:
            self.bad_verb(verb)

    def fmt_0x64(self, v: int, leading0x: bool) -> None:
        sharp, self.f.sharp = self.f.sharp, leading0x
        self.f.fmt_integer(v, 16, False, "v", LDIGITS)
        self.f.sharp = sharp

    def fmt_integer(self, v: int, signed: bool, verb: str) -> None:
        f = self.f
        if verb == "v":
            if f.sharp_v and not signed:
                self.fmt_0x64(v, True)
            else:
                f.fmt_integer(v, 10, signed, verb, LDIGITS)
        elif verb == "d":
            f.fmt_integer(v, 10, signed, verb, LDIGITS)
        elif verb == "b":
            f.fmt_integer(v, 2, signed, verb, LDIGITS)
        elif verb in "oO":
            f.fmt_integer(v, 8, signed, verb, LDIGITS)
        elif verb == "x":
            f.fmt_integer(v, 16, signed, verb, LDIGITS)
        elif verb == "X":
            f.fmt_integer(v, 16, signed, verb, UDIGITS)
        elif verb == "c":
            f.fmt_c(v)
        elif verb == "q":
            f.fmt_qc(v)
        elif verb == "U":
            f.fmt_unicode(v)
        else:
            self.bad_verb(verb)

    def fmt_float(self, v: float, verb: str) -> None:
        if verb == "v":
            self.f.fmt_float(v, "g", -1)
        elif verb in "bgGxX":
            self.f.fmt_float(v, verb, -1)
        elif verb in "feE":
            self.f.fmt_float(v, verb, 6)
        elif verb == "F":
            self.f.fmt_float(v, "f", 6)
        else:
            self.bad_verb(verb)

    def fmt_complex(self, v: complex, verb: str) -> None:
        if verb not in "vbgGxXfFeE":
            self.bad_verb(verb)
            return
        old_plus = self.f.plus
        self.write("(")
        self.fmt_float(v.real, verb)
        self.f.plus = True
        self.fmt_float(v.imag, verb)
        self.write("i)")
        self.f.plus = old_plus

    def fmt_string(self, v: str, verb: str) -> None:
        f = self.f
        if verb == "v":
            f.fmt_q(v) if f.sharp_v else f.fmt_s(v)
        elif verb == "s":
            f.fmt_s(v)
        elif verb == "x":
            f.fmt_sx(v, LDIGITS)
        elif verb == "X":
            f.fmt_sx(v, UDIGITS)
        elif verb == "q":
            f.fmt_q(v)
        else:
            self.bad_verb(verb)

    def fmt_pointer(self, value: Any, verb: str) -> None:
        kind = typeof(value).kind
        if kind not in (Kind.PTR, Kind.MAP, Kind.SLICE, Kind.FUNC):
            self.bad_verb(verb)
            return
        u = 0 if isinstance(value, NilPtr) or value is None else _FAKE_ADDR
        if verb == "v":
            if self.f.sharp_v:
                self.write("(" + typeof(value).name + ")(")
                self.write("nil") if u == 0 else self.fmt_0x64(u, True)
                self.write(")")
            elif u == 0:
                self.f.pad("<nil>")
            else:
                self.fmt_0x64(u, not self.f.sharp)
        elif verb == "p":
            self.fmt_0x64(u, not self.f.sharp)
        elif verb in "bodxX":
            self.fmt_integer(u, False, verb)
        else:
            self.bad_verb(verb)

    def handle_methods(self, verb: str) -> bool:
        if self.erroring:
            return False
        if self.f.sharp_v:
            method = _method(self.arg, "GoString")
            if method is None:
                return False
            self.f.fmt_s(method.fn(self.arg))
            return True
        if verb not in "vsxXq":
            return False
        for name in ("Error", "String"):
            method = _method(self.arg, name)
            if method is not None:
                self._call_string_method(method, name, verb)
                return True
        return False

    def _call_string_method(self, method: Any, name: str, verb: str) -> None:
        if isinstance(self.arg, NilPtr):
            self.write("<nil>")
            return
        try:
            text = method.fn(self.arg)
        except Exception as exc:  # a panicking String method prints a marker in Go
            saved = self.f.flags()
            self.f.clear()
            self.write(f"%!{verb}(PANIC={name} method: {exc})")
            self.f.set_flags(saved)
            return
        self.fmt_string(text, verb)

    def print_arg(self, arg: Any, verb: str) -> None:
        self.arg = arg
        self.value = NO_VALUE
        if arg is None:
            if verb in "Tv":
                self.f.pad("<nil>")
            else:
                self.bad_verb(verb)
            return
        if verb == "T":
            self.f.fmt_s(typeof(arg).name)
            return
        if verb == "p":
            self.fmt_pointer(arg, "p")
            return
        cls = type(arg)
        if cls is str:
            self.fmt_string(arg, verb)
        elif cls is bool:
            self.fmt_bool(arg, verb)
        elif cls is int:
            self.fmt_integer(arg, True, verb)
        elif cls is float:
            self.fmt_float(arg, verb)
        elif cls is complex:
            self.fmt_complex(arg, verb)
        elif not self.handle_methods(verb):
            self.print_value(arg, verb, 0)

    def print_value(self, value: Any, verb: str, depth: int) -> None:
        if depth > 0 and value is not NO_VALUE and value is not None:
            self.arg = value
            if self.handle_methods(verb):
                return
        self.arg = None
        self.value = value
        if value is NO_VALUE:
            if depth == 0:
                self.write("<invalid reflect.Value>")
            elif verb == "v":
                self.write("<nil>")
            else:
                self.bad_verb(verb)
            return
        gotype = typeof(value)
        kind = gotype.kind
        if kind == Kind.BOOL:
            self.fmt_bool(value, verb)
        elif kind in INT_KINDS:
            self.fmt_integer(int(value), True, verb)
        elif kind in UINT_KINDS:
            self.fmt_integer(int(value), False, verb)
        elif kind == Kind.FLOAT64:
            self.fmt_float(value, verb)
        elif kind == Kind.COMPLEX128:
            self.fmt_complex(value, verb)
        elif kind == Kind.STRING:
            self.fmt_string(value, verb)
        elif kind == Kind.MAP:
            self._print_map(value, verb, depth)
        elif kind == Kind.STRUCT:
            self._print_struct(value, verb, depth)
        elif kind == Kind.IFACE:  # a nil interface inside a container
            self.write(gotype.name + "(nil)" if self.f.sharp_v else "<nil>")
        elif kind == Kind.SLICE:
            self._print_slice(value, verb, depth)
        elif kind == Kind.PTR and depth == 0 and isinstance(value, GoPtr):
            self.write("&")
            self.print_value(value.target, verb, depth + 1)
        else:
            self.fmt_pointer(value, verb)

    def _sep(self) -> str:
        return ", " if self.f.sharp_v else " "

    def _print_map(self, value: Any, verb: str, depth: int) -> None:
        gotype = typeof(value)
        self.write(gotype.name + "{" if self.f.sharp_v else "map[")
        for i, key in enumerate(sorted(value, key=map_sort_key)):
            if i > 0:
                self.write(self._sep())
            self.print_value(key, verb, depth + 1)
            self.write(":")
            self.print_value(value[key], verb, depth + 1)
        self.write("}" if self.f.sharp_v else "]")

    def _print_struct(self, value: Any, verb: str, depth: int) -> None:
        gotype = typeof(value)
        # A Python-implemented struct (time.Time) says which private fields Go would print.
        fields = value.items() if isinstance(value, GoStruct) else value.struct_fields()
        if self.f.sharp_v:
            self.write(gotype.name)
        self.write("{")
        for i, (name, field) in enumerate(fields):
            if i > 0:
                self.write(self._sep())
            if self.f.plus_v or self.f.sharp_v:
                self.write(name + ":")
            self.print_value(field, verb, depth + 1)
        self.write("}")

    def _print_slice(self, value: Any, verb: str, depth: int) -> None:
        gotype = typeof(value)
        if verb in "sqxX" and gotype.elem is not None and gotype.elem.kind == Kind.UINT8:
            self.fmt_string(bytes(int(b) for b in value).decode("utf-8", "surrogateescape"), verb)
            return
        if self.f.sharp_v:
            self.write(gotype.name + "{")
        else:
            self.write("[")
        for i, item in enumerate(value):
            if i > 0:
                self.write(self._sep())
            self.print_value(item, verb, depth + 1)
        self.write("}" if self.f.sharp_v else "]")
