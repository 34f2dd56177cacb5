"""The lexer of Go's ``text/template`` (a port of ``text/template/parse/lex.go``).

It turns template text into items: text between actions, and inside ``{{ }}`` the
delimiters, spaces, identifiers, fields, variables, literals and punctuation. Trim markers
(``{{- `` and `` -}}``, the dash followed or preceded by an ASCII space) are applied here, as
in Go, so the parser never sees them; ``{{-3}}`` stays the number -3. The whole input is
lexed up front (Go's lexer has no feedback from the parser either); an error becomes an
error item at the point where Go would stop.
"""

from __future__ import annotations

import re
from typing import Final

from codexstack.golang import quote
from codexstack.templating.gotmpl import fmtcore

ERROR: Final = 0
BOOL: Final = 1
CHAR: Final = 2
CHAR_CONSTANT: Final = 3
COMPLEX: Final = 5
ASSIGN: Final = 6
DECLARE: Final = 7
EOF: Final = 8
FIELD: Final = 9
IDENTIFIER: Final = 10
LEFT_DELIM: Final = 11
LEFT_PAREN: Final = 12
NUMBER: Final = 13
PIPE: Final = 14
RAW_STRING: Final = 15
RIGHT_DELIM: Final = 16
RIGHT_PAREN: Final = 17
SPACE: Final = 18
STRING: Final = 19
TEXT: Final = 20
VARIABLE: Final = 21
KEYWORD: Final = 22  # everything above is a keyword
BLOCK: Final = 23
BREAK: Final = 24
CONTINUE: Final = 25
DOT: Final = 26
DEFINE: Final = 27
ELSE: Final = 28
END: Final = 29
IF: Final = 30
NIL: Final = 31
RANGE: Final = 32
TEMPLATE: Final = 33
WITH: Final = 34

KEYWORDS: Final = {
    ".": DOT,
    "block": BLOCK,
    "break": BREAK,
    "continue": CONTINUE,
    "define": DEFINE,
    "else": ELSE,
    "end": END,
    "if": IF,
    "range": RANGE,
    "nil": NIL,
    "template": TEMPLATE,
    "with": WITH,
}

_SPACE: Final = " \t\r\n"
_SPACE_RUN: Final = re.compile(r"[ \t\r\n]*")
_ASCII_ALNUM_RUN: Final = re.compile(r"[A-Za-z0-9_]*")
_TERMINATORS: Final = frozenset(" \t\r\n.,|:)(")
_SIMPLE: Final = {"=": ASSIGN, "|": PIPE}
LEFT: Final = "{{"
RIGHT: Final = "}}"


class Item:
    """One token: type, start position (code points), text and line."""

    __slots__ = ("line", "pos", "typ", "val")

    def __init__(self, typ: int, pos: int, val: str, line: int) -> None:
        self.typ = typ
        self.pos = pos
        self.val = val
        self.line = line

    def __str__(self) -> str:
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return quote(self.val[:10]) + "..."
        return quote(self.val)


def is_alnum(ch: str) -> bool:
    """Go's ``isAlphaNumeric``: ``_``, letters and decimal digits (Unicode)."""
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def describe_rune(ch: str) -> str:
    """``%#U`` of a character, as Go's lexer errors show it."""
    f = fmtcore.Fmt()
    f.sharp = True
    f.fmt_unicode(ord(ch))
    return "".join(f.buf)


def _run_end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    found = pattern.match(text, pos)
    return found.end() if found else pos


def _left_trim(s: str, at: int) -> bool:
    return s[at : at + 1] == "-" and s[at + 1 : at + 2] in _SPACE and at + 1 < len(s)


def _right_trim(s: str, at: int) -> bool:
    return at + 1 < len(s) and s[at] in _SPACE and s[at + 1] == "-"


class Lexer:
    """Lexes one template text into :attr:`items`."""

    def __init__(self, text: str, *, break_ok: bool = True, continue_ok: bool = True) -> None:
        self.text = text
        self.items: list[Item] = []
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.paren_depth = 0
        self.inside_action = False
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self._run()

    # -- plumbing ---------------------------------------------------------------------------

    def _emit(self, typ: int) -> None:
        # _ignore() written out: this runs for every item.
        start, pos, text = self.start, self.pos, self.text
        self.items.append(Item(typ, start, text[start:pos], self.start_line))
        self.line += text.count("\n", start, pos)
        self.start = pos
        self.start_line = self.line

    def _ignore(self) -> None:
        self.line += self.text.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def _error(self, message: str) -> None:
        self.items.append(Item(ERROR, self.start, message, self.start_line))
        raise _Stop

    def _peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def _accept(self, valid: str) -> bool:
        ch = self._peek()
        if ch and ch in valid:
            self.pos += 1
            return True
        return False

    def _accept_run(self, valid: str) -> None:
        while self._accept(valid):
            pass

    def _at_right_delim(self) -> tuple[bool, bool]:
        if _right_trim(self.text, self.pos) and self.text.startswith(RIGHT, self.pos + 2):
            return True, True
        return self.text.startswith(RIGHT, self.pos), False

    def _at_terminator(self) -> bool:
        ch = self._peek()
        return not ch or ch in _TERMINATORS or self.text.startswith(RIGHT, self.pos)

    # -- states -----------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while self._lex_text():
                if self.inside_action:
                    while self._lex_inside_action():
                        pass
        except _Stop:
            pass

    def _lex_text(self) -> bool:
        text = self.text
        x = text.find(LEFT, self.pos)
        if x < 0:
            self.pos = len(text)
            if self.pos > self.start:
                self._emit(TEXT)
            self._emit(EOF)
            return False
        if x > self.pos:
            end = x
            if _left_trim(text, x + 2):
                end = len(text[self.pos : x].rstrip(_SPACE)) + self.pos
            self.pos = end
            if end > self.start:
                self._emit(TEXT)
            self.pos = x
            self._ignore()
        return self._lex_left_delim()

    def _lex_left_delim(self) -> bool:
        self.pos += len(LEFT)
        trim = _left_trim(self.text, self.pos)
        after = 2 if trim else 0
        if self.text.startswith("/*", self.pos + after):
            self.pos += after
            self._ignore()
            self._lex_comment()
            self.inside_action = False
            return True
        self._emit_at(LEFT_DELIM, self.pos - len(LEFT), self.pos)
        self.pos += after
        self._ignore()
        self.paren_depth = 0
        self.inside_action = True
        return True

    def _emit_at(self, typ: int, start: int, end: int) -> None:
        self.start = start
        self.pos = end
        self._emit(typ)

    def _lex_comment(self) -> None:
        self.pos += 2
        x = self.text.find("*/", self.pos)
        if x < 0:
            self._error("unclosed comment")
        self.pos = x + 2
        delim, trim = self._at_right_delim()
        if not delim:
            self._error("comment ends before closing delimiter")
        self.pos += (2 if trim else 0) + len(RIGHT)
        if trim:
            self.pos += len(self.text[self.pos :]) - len(self.text[self.pos :].lstrip(_SPACE))
        self._ignore()

    def _lex_right_delim(self, trim: bool) -> None:
        if trim:
            self.pos += 2
            self._ignore()
        self.pos += len(RIGHT)
        self._emit(RIGHT_DELIM)
        if trim:
            rest = self.text[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(_SPACE))
            self._ignore()

    def _lex_inside_action(self) -> bool:
        text, pos = self.text, self.pos
        ch = text[pos : pos + 1]
        # _at_right_delim() for the common case: no "}" or " " here means no delimiter.
        if ch == "}" or ch in _SPACE:
            delim, trim = self._at_right_delim()
            if delim:
                if self.paren_depth == 0:
                    self._lex_right_delim(trim)
                    return False
                self._error("unclosed left paren")
        if not ch:
            self._error("unclosed action")
        if ch in _SPACE:
            return self._lex_space()
        self.pos = pos + 1
        if ch in _SIMPLE:
            self._emit(_SIMPLE[ch])
        elif ch == ":":
            if not self._accept("="):
                self._error("expected :=")
            self._emit(DECLARE)
        elif ch == '"':
            self._lex_quote('"', STRING, "unterminated quoted string")
        elif ch == "`":
            self._lex_raw_quote()
        elif ch == "$":
            self._lex_variable()
        elif ch == "'":
            self._lex_quote("'", CHAR_CONSTANT, "unterminated character constant")
        elif ch == "." and self.pos < len(self.text) and not "0" <= self.text[self.pos] <= "9":
            self._lex_field_or_variable(FIELD)
        elif ch in "+-." or "0" <= ch <= "9":
            self.pos -= 1
            self._lex_number()
        elif is_alnum(ch):
            self.pos -= 1
            self._lex_identifier()
        else:
            self._lex_punct(ch)
        return True

    def _lex_punct(self, ch: str) -> None:
        if ch == "(":
            self.paren_depth += 1
            self._emit(LEFT_PAREN)
        elif ch == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self._error("unexpected right paren")
            self._emit(RIGHT_PAREN)
        elif ord(ch) < 0x80 and ch.isprintable():
            self._emit(CHAR)
        else:
            self._error(f"unrecognized character in action: {describe_rune(ch)}")

    def _lex_space(self) -> bool:
        """A run of spaces; False when it ended the action at a trim-marked ``-}}``."""
        start = self.pos
        self.pos = _run_end(_SPACE_RUN, self.text, self.pos)
        n = self.pos - start
        if _right_trim(self.text, self.pos - 1) and self.text.startswith(RIGHT, self.pos + 1):
            self.pos -= 1
            if n == 1:
                self._lex_right_delim(True)
                return False
        self._emit(SPACE)
        return True

    def _skip_alnum(self) -> None:
        """Advance over letters, digits and ``_`` (an ASCII fast path, then Go's rule)."""
        text = self.text
        self.pos = _run_end(_ASCII_ALNUM_RUN, text, self.pos)
        while self.pos < len(text) and is_alnum(text[self.pos]):
            self.pos = _run_end(_ASCII_ALNUM_RUN, text, self.pos + 1)

    def _lex_identifier(self) -> None:
        self._skip_alnum()
        word = self.text[self.start : self.pos]
        if not self._at_terminator():
            self._error(f"bad character {describe_rune(self._peek())}")
        kw = KEYWORDS.get(word)
        if kw is not None and kw > KEYWORD:
            if (kw == BREAK and not self.break_ok) or (kw == CONTINUE and not self.continue_ok):
                self._emit(IDENTIFIER)
            else:
                self._emit(kw)
        elif word in ("true", "false"):
            self._emit(BOOL)
        else:
            self._emit(IDENTIFIER)

    def _lex_variable(self) -> None:
        if self._at_terminator():
            self._emit(VARIABLE)
            return
        self._lex_field_or_variable(VARIABLE)

    def _lex_field_or_variable(self, typ: int) -> None:
        if self._at_terminator():
            self._emit(VARIABLE if typ == VARIABLE else DOT)
            return
        self._skip_alnum()
        if not self._at_terminator():
            self._error(f"bad character {describe_rune(self._peek())}")
        self._emit(typ)

    def _lex_quote(self, quote_ch: str, typ: int, message: str) -> None:
        text = self.text
        while True:
            ch = text[self.pos : self.pos + 1]
            self.pos += 1 if ch else 0
            if ch == "\\":
                nxt = text[self.pos : self.pos + 1]
                if nxt and nxt != "\n":
                    self.pos += 1
                    continue
                self.pos += 1 if nxt else 0
                self._error(message)
            if not ch or ch == "\n":
                self._error(message)
            if ch == quote_ch:
                break
        self._emit(typ)

    def _lex_raw_quote(self) -> None:
        end = self.text.find("`", self.pos)
        if end < 0:
            self.pos = len(self.text)
            self._error("unterminated raw quoted string")
        self.pos = end + 1
        self._emit(RAW_STRING)

    def _lex_number(self) -> None:
        if not self._scan_number():
            self._error(f"bad number syntax: {_q(self.text[self.start : self.pos])}")
        sign = self._peek()
        if sign and sign in "+-":
            if not self._scan_number() or self.text[self.pos - 1] != "i":
                self._error(f"bad number syntax: {_q(self.text[self.start : self.pos])}")
            self._emit(COMPLEX)
            return
        self._emit(NUMBER)

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 23 and self._accept("pP"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        ch = self._peek()
        if ch and is_alnum(ch):
            self.pos += 1
            return False
        return True


def _q(s: str) -> str:
    return quote(s)


class _Stop(Exception):
    """Lexing ended at an error item."""


def lex(text: str, *, break_ok: bool = True, continue_ok: bool = True) -> list[Item]:
    """All items of ``text``, ending with an EOF or an error item."""
    return Lexer(text, break_ok=break_ok, continue_ok=continue_ok).items
