"""Go's ``fmt.Sprintf``: the format-string walk (``doPrintf``) over :class:`.printer.Printer`.

Flags, widths and precisions (also ``*`` from arguments), explicit argument indexes
(``%[2]d``), and every misuse marker Go prints instead of failing: ``%!s(MISSING)``,
``%!(EXTRA int=1)``, ``%!(NOVERB)``, ``%!(BADWIDTH)``, ``%!(BADPREC)``, ``%!d(BADINDEX)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from codexstack.templating.gotmpl.printer import Printer
from codexstack.templating.gotmpl.types import UINT_KINDS
from codexstack.templating.gotmpl.values import typeof


def sprintf(fmt: str, args: Sequence[Any]) -> str:
    """``fmt.Sprintf``."""
    p = Printer()
    _Printf(p, fmt, args).run()
    return "".join(p.f.buf)


def _parsenum(s: str, start: int, end: int) -> tuple[int, bool, int]:
    """Parse a decimal at ``s[start:end]``: (number, found, new index); huge numbers fail."""
    num, isnum, i = 0, False, start
    while i < end and "0" <= s[i] <= "9":
        if num > 1_000_000 or num < -1_000_000:
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _int_from_arg(args: Sequence[Any], n: int) -> tuple[int, bool, int]:
    if n >= len(args):
        return 0, False, n
    arg = args[n]
    num, ok = 0, False
    if isinstance(arg, int) and not isinstance(arg, bool):
        num, ok = int(arg), True
        if typeof(arg).kind in UINT_KINDS and num >= 1 << 63:
            num, ok = 0, False
    if num > 1_000_000 or num < -1_000_000:
        num, ok = 0, False
    return num, ok, n + 1


class _Printf:
    """``doPrintf``: walks the format string verb by verb."""

    def __init__(self, p: Printer, fmt: str, args: Sequence[Any]) -> None:
        self.p, self.fmt, self.args = p, fmt, args
        self.arg_num = 0
        self.after_index = False

    def arg_number(self, i: int) -> int:
        """``argNumber``: consume an explicit ``[n]`` index; sets :attr:`after_index`."""
        fmt = self.fmt
        self.after_index = False
        if i >= len(fmt) or fmt[i] != "[":
            return i
        self.p.reordered = True
        close = fmt.find("]", i + 1)
        if len(fmt) - i < 3 or close < 0:
            self.p.good_arg_num = False
            return i + 1
        width, ok, newi = _parsenum(fmt, i + 1, close)
        if not ok or newi != close:
            self.p.good_arg_num = False
            return close + 1
        self.after_index = True
        if 0 <= width - 1 < len(self.args):
            self.arg_num = width - 1
        else:
            self.p.good_arg_num = False
        return close + 1

    def run(self) -> None:
        p, f, fmt, args = self.p, self.p.f, self.fmt, self.args
        end = len(fmt)
        i = 0
        p.reordered = False
        while i < end:
            p.good_arg_num = True
            pct = fmt.find("%", i)
            if pct < 0:
                p.write(fmt[i:])
                break
            if pct > i:
                p.write(fmt[i:pct])
            i = pct + 1
            f.clear()
            i, simple = self._flags(i)
            if simple:
                continue
            i = self._verb(self._width_prec(i))
            if i < 0:
                break
        if not p.reordered and self.arg_num < len(args):
            self._extra()

    def _flags(self, i: int) -> tuple[int, bool]:
        p, f, fmt = self.p, self.p.f, self.fmt
        while i < len(fmt):
            c = fmt[i]
            if c == "#":
                f.sharp = True
            elif c == "0":
                f.zero = True
            elif c == "+":
                f.plus = True
            elif c == "-":
                f.minus = True
            elif c == " ":
                f.space = True
            else:
                if "a" <= c <= "z" and self.arg_num < len(self.args):
                    if c == "v":
                        f.sharp_v, f.sharp = f.sharp, False
                        f.plus_v, f.plus = f.plus, False
                    p.print_arg(self.args[self.arg_num], c)
                    self.arg_num += 1
                    return i + 1, True
                break
            i += 1
        return i, False

    def _width_prec(self, i: int) -> int:
        p, f, fmt, end = self.p, self.p.f, self.fmt, len(self.fmt)
        i = self.arg_number(i)
        if i < end and fmt[i] == "*":
            i += 1
            f.wid, f.wid_present, self.arg_num = _int_from_arg(self.args, self.arg_num)
            if not f.wid_present:
                p.write("%!(BADWIDTH)")
            if f.wid < 0:
                f.wid, f.minus, f.zero = -f.wid, True, False
            self.after_index = False
        else:
            f.wid, f.wid_present, i = _parsenum(fmt, i, end)
            if self.after_index and f.wid_present:
                p.good_arg_num = False
        if i + 1 < end and fmt[i] == ".":
            i += 1
            if self.after_index:
                p.good_arg_num = False
            i = self.arg_number(i)
            if i < end and fmt[i] == "*":
                i += 1
                f.prec, f.prec_present, self.arg_num = _int_from_arg(self.args, self.arg_num)
                if f.prec < 0:
                    f.prec, f.prec_present = 0, False
                if not f.prec_present:
                    p.write("%!(BADPREC)")
                self.after_index = False
            else:
                f.prec, f.prec_present, i = _parsenum(fmt, i, end)
                if not f.prec_present:
                    f.prec, f.prec_present = 0, True
        if not self.after_index:
            i = self.arg_number(i)
        return i

    def _verb(self, i: int) -> int:
        p, f, fmt = self.p, self.p.f, self.fmt
        if i >= len(fmt):
            p.write("%!(NOVERB)")
            return -1
        verb = fmt[i]
        i += 1
        if verb == "%":
            p.write("%")
        elif not p.good_arg_num:
            p.write("%!" + verb + "(BADINDEX)")
        elif self.arg_num >= len(self.args):
            p.write("%!" + verb + "(MISSING)")
        else:
            if verb == "v":
                f.sharp_v, f.sharp = f.sharp, False
                f.plus_v, f.plus = f.plus, False
            p.print_arg(self.args[self.arg_num], verb)
            self.arg_num += 1
        return i

    def _extra(self) -> None:
        p = self.p
        p.f.clear()
        p.write("%!(EXTRA ")
        for n, arg in enumerate(self.args[self.arg_num :]):
            if n > 0:
                p.write(", ")
            if arg is None:
                p.write("<nil>")
            else:
                p.write(typeof(arg).name + "=")
                p.print_arg(arg, "v")
        p.write(")")
