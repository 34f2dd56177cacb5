"""envFiles: the dotenv dialect of godotenv 1.5.1, case by case (§3.6)."""

from __future__ import annotations

import pytest

from codexstack.errors import ConfigError
from codexstack.golang import parse_dotenv


def parse(text: str) -> dict[str, str]:
    return parse_dotenv(text, ".env")


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("A=1", "1"),
        ("export A=2", "2"),
        ("export   A=2", "2"),
        ("A= 3", "3"),
        ("A =4", "4"),
        ("A = 5 ", "5"),
        ("A=", ""),
        ("A=1 2", "1 2"),
        ("A: yaml style", "yaml style"),
        ("A='single'", "single"),
        ('A="double"', "double"),
        ('A=""', ""),
        ("A='no \\n escape $B'", "no \\n escape $B"),
        ('A="new\\nline"', "new\nline"),
        ('A="carriage\\rreturn"', "carriage\rreturn"),
        ('A="drop \\t other \\\\ escapes"', "drop t other \\ escapes"),
        ("A=\"echo 'asd'\"", "echo 'asd'"),
        ('A="say \\"hi\\" now"', 'say "hi" now'),
        # godotenv trims every quote at the end, the escaped one too: kept for compatibility
        ('A="say \\"hi\\""', 'say "hi\\'),
        ("A=bar # comment", "bar"),
        ("A=foo#bar", "foo#bar"),
        ("A=thud # fred # other", "thud # fred"),
        ('A="foo"#bar', "foo"),
        ('A="foo" # comment', "foo"),
        ("A=café ünï", "café ünï"),
    ],
)
def test_single_line_values(line: str, value: str) -> None:
    assert parse(line + "\n") == {"A": value}


def test_key_characters() -> None:
    assert parse("A.B_c9=dots\n") == {"A.B_c9": "dots"}


def test_export_prefix_needs_whitespace() -> None:
    assert parse("exportA=1\n") == {"exportA": "1"}


def test_comments_blank_lines_and_crlf() -> None:
    text = "# heading\r\n\r\nA=1\r\n   # indented comment\r\nB=2\r\n"
    assert parse(text) == {"A": "1", "B": "2"}


def test_yaml_document_marker_is_not_a_variable() -> None:
    with pytest.raises(ConfigError, match="unexpected '-'"):
        parse("---\nA: 1\n")


def test_double_quoted_value_spans_lines() -> None:
    assert parse('A="one\ntwo"\nB=3\n') == {"A": "one\ntwo", "B": "3"}


def test_expansion_from_earlier_keys_only() -> None:
    text = (
        "A=1\n"
        "B=${A}\n"
        "C=$B\n"
        "D=${A}${B}x\n"
        'E="$A and ${C}"\n'
        "F=$LATER\n"
        "G='$A'\n"
        'H="\\$A"\n'
        "LATER=9\n"
        "I=$lower\n"
    )
    assert parse(text) == {
        "A": "1",
        "B": "1",
        "C": "1",
        "D": "11x",
        "E": "1 and 1",
        "F": "",
        "G": "$A",
        "H": "$A",
        "LATER": "9",
        "I": "$lower",
    }


def test_expansion_ignores_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FROM_OS", "os")
    assert parse("A=$FROM_OS\n") == {"A": ""}


def test_subshell_form_is_not_run() -> None:
    assert parse("A=$(whoami)\n") == {"A": "$(whoami)"}


def test_later_keys_win() -> None:
    assert parse("A=1\nA=2\n") == {"A": "2"}


def test_value_at_end_of_file_without_newline() -> None:
    assert parse("A=1\nB=two") == {"A": "1", "B": "two"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("A=1\nINVALID LINE\n", 2),
        ("A=1\n\nlol$wut=1\n", 3),
        ("A-B=1\n", 1),
        ('A="unterminated\n', 1),
        ("=value\n", 1),
        ("A=1\nJUSTAKEY\n", 2),
    ],
)
def test_malformed_lines_are_errors_with_file_and_line(text: str, line: int) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(text)
    assert caught.value.location is not None
    assert caught.value.location.file == ".env"
    assert caught.value.location.line == line
