"""The formatting primitives of Go's ``fmt`` (its internal ``fmt`` struct).

One :class:`Fmt` holds the flags, width and precision of the verb being printed and knows
how to pad, and how to lay out integers, floats, strings and runes exactly as
``fmt/format.go`` does. :mod:`.printer` drives it verb by verb.
"""

from __future__ import annotations

from codexstack.golang import can_backquote, format_float, is_print, quote, quote_rune, to_bytes

LDIGITS = "0123456789abcdefx"
UDIGITS = "0123456789ABCDEFX"
_U64 = (1 << 64) - 1


class Fmt:
    """Flags, width, precision and the output buffer of one print call."""

    __slots__ = (
        "buf",
        "minus",
        "plus",
        "plus_v",
        "prec",
        "prec_present",
        "sharp",
        "sharp_v",
        "space",
        "wid",
        "wid_present",
        "zero",
    )

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.clear()

    def clear(self) -> None:
        """Reset flags, width and precision before the next verb."""
        self.wid = self.prec = 0
        self.wid_present = self.prec_present = False
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False

    def flags(self) -> tuple[bool, ...]:
        """A snapshot of the flags, to restore after a nested print."""
        return (self.minus, self.plus, self.sharp, self.space, self.zero, self.plus_v, self.sharp_v)

    def set_flags(self, saved: tuple[bool, ...]) -> None:
        """Restore a snapshot taken with :meth:`flags`."""
        (self.minus, self.plus, self.sharp, self.space, self.zero, self.plus_v, self.sharp_v) = (
            saved
        )

    def write_padding(self, n: int) -> None:
        """Append ``n`` pad characters (zeros only when padding on the left)."""
        if n > 0:
            self.buf.append(("0" if self.zero and not self.minus else " ") * n)

    def pad(self, s: str) -> None:
        """Append ``s`` padded to the width (counted in runes)."""
        if not self.wid_present or self.wid == 0:
            self.buf.append(s)
            return
        width = self.wid - len(s)
        if not self.minus:
            self.write_padding(width)
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.write_padding(width)

    def fmt_boolean(self, v: bool) -> None:
        """``%t``."""
        self.pad("true" if v else "false")

    def _unzeroed_pad(self, s: str) -> None:
        old, self.zero = self.zero, False
        self.pad(s)
        self.zero = old

    def fmt_unicode(self, u: int) -> None:
        """``%U``: ``U+0041`` (and ``U+0041 'A'`` with ``#``)."""
        u &= _U64
        prec = self.prec if self.prec_present and self.prec > 4 else 4
        digits = f"{u:X}".rjust(prec, "0")
        text = "U+" + digits
        if self.sharp and u <= 0x10FFFF and is_print(u):
            text += " '" + chr(u) + "'"
        self._unzeroed_pad(text)

    def fmt_integer(self, v: int, base: int, signed: bool, verb: str, digits: str) -> None:
        """Integers in base 2, 8, 10 or 16 with sign, precision and ``#`` prefixes."""
        if not signed:
            v &= _U64
        negative = v < 0
        u = -v if negative else v
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old, self.zero = self.zero, False
                self.write_padding(self.wid)
                self.zero = old
                return
        elif self.zero and not self.minus and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        body = _to_base(u, base, digits).rjust(prec, "0")
        if self.sharp:
            if base == 2:
                body = "0b" + body
            elif base == 8 and body[0] != "0":
                body = "0" + body
            elif base == 16:
                body = "0" + digits[16] + body
        if verb == "O":
            body = "0o" + body
        if negative:
            body = "-" + body
        elif self.plus:
            body = "+" + body
        elif self.space:
            body = " " + body
        self._unzeroed_pad(body)

    def truncate(self, s: str) -> str:
        """Cut ``s`` to the precision, counted in runes."""
        if self.prec_present:
            return s[: self.prec]
        return s

    def fmt_s(self, s: str) -> None:
        """``%s``."""
        self.pad(self.truncate(s))

    def fmt_sx(self, s: str, digits: str) -> None:
        """``%x``/``%X`` of a string: hex of its bytes, ``#`` and space flags."""
        data = to_bytes(s)
        length = len(data)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width <= 0:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.space:
            if self.sharp:
                width *= 2
            width += length - 1
        elif self.sharp:
            width += 2
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        parts: list[str] = []
        prefix = "0" + digits[16]
        if self.sharp:
            parts.append(prefix)
        for i in range(length):
            if self.space and i > 0:
                parts.append(" ")
                if self.sharp:
                    parts.append(prefix)
            c = data[i]
            parts.append(digits[c >> 4] + digits[c & 0xF])
        self.buf.append("".join(parts))
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    def fmt_q(self, s: str) -> None:
        """``%q`` of a string (backquoted with ``#`` when possible)."""
        s = self.truncate(s)
        if self.sharp and can_backquote(s):
            self.pad("`" + s + "`")
            return
        self.pad(quote(s, ascii_only=self.plus))

    def fmt_c(self, c: int) -> None:
        """``%c``."""
        c &= _U64
        self.pad(chr(c) if c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF else "\ufffd")

    def fmt_qc(self, c: int) -> None:
        """``%q`` of an integer: a quoted rune."""
        c &= _U64
        self.pad(quote_rune(c if c <= 0x10FFFF else 0xFFFD, ascii_only=self.plus))

    def fmt_float(self, v: float, verb: str, prec: int) -> None:
        """Floats for ``%v %e %f %g %x %b`` with sign, ``#`` and zero padding."""
        if self.prec_present:
            prec = self.prec
        num = format_float(v, verb, prec)
        num = num if num[0] in "+-" else "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self._unzeroed_pad(num)
            return
        if self.sharp and verb != "b":
            num = _sharp_float(num, verb, prec)
        if self.plus or num[0] != "+":
            if self.zero and not self.minus and self.wid_present and self.wid > len(num):
                self.buf.append(num[0])
                self.write_padding(self.wid - len(num))
                self.buf.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])


def _to_base(u: int, base: int, digits: str) -> str:
    if base == 10:
        return str(u)
    if base == 16:
        text = f"{u:x}"
        return text if digits is LDIGITS else text.upper()
    return f"{u:o}" if base == 8 else f"{u:b}"


def _sharp_float(num: str, verb: str, prec: int) -> str:
    """``#`` keeps the decimal point and, for ``%g``/``%v``, the trailing zeros."""
    digits = 0
    if verb in "vgGx":
        digits = 6 if prec == -1 else prec
    tail = ""
    has_point = False
    saw_nonzero = False
    body = num
    i = 1
    while i < len(body):
        ch = body[i]
        if ch == ".":
            has_point = True
        elif ch in "pP" or (ch in "eE" and verb not in "xX"):
            tail, body = body[i:], body[:i]
            break
        else:
            if ch != "0":
                saw_nonzero = True
            if saw_nonzero:
                digits -= 1
        i += 1
    if not has_point:
        if len(body) == 2 and body[1] == "0":
            digits -= 1
        body += "."
    if digits > 0:
        body += "0" * digits
    return body + tail
