"""Image references: parse, check and print ``host[:port]/path[:tag][@digest]``.

The grammar is the distribution reference grammar (lower-case path components separated by
``.``, ``_``, ``__`` or dashes; tags of at most 128 word characters, dots and dashes). A first
component is the registry host when it contains a dot or a colon or is ``localhost``.
Destinations codexstack pushes to must name their registry host explicitly: a bare
``app:1`` would silently mean a public registry. Loopback hosts are reached over plain HTTP,
as Docker itself does.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_HOST = re.compile(
    r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$"
)
TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


class BadReference(ValueError):
    """The text is not a valid image reference; the message says which part is wrong."""


@dataclass(frozen=True)
class ImageRef:
    """A parsed reference; ``host`` is "" when the text named none."""

    host: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def repository(self) -> str:
        """``host/path`` (or just ``path``): what Docker calls the repository."""
        return f"{self.host}/{self.path}" if self.host else self.path

    def __str__(self) -> str:
        text = self.repository
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text

    def with_tag(self, tag: str) -> ImageRef:
        return ImageRef(self.host, self.path, tag, "")

    @property
    def loopback(self) -> bool:
        """True for 127.0.0.0/8, ::1 and localhost: Docker talks plain HTTP to these."""
        name = self.host.rsplit(":", 1)[0] if not self.host.endswith("]") else self.host
        name = name.strip("[]")
        if name == "localhost":
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False


def parse(text: str) -> ImageRef:
    """Parse ``text``; raises :class:`BadReference` saying what is wrong."""
    ref = text.strip()
    if not ref:
        raise BadReference("the image reference is empty")
    digest = ""
    if "@" in ref:
        ref, digest = ref.split("@", 1)
        if not _DIGEST.match(digest):
            raise BadReference(f"{digest!r} is not a sha256 digest")
    host = ""
    first, sep, rest = ref.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        if not _HOST.match(first):
            raise BadReference(f"{first!r} is not a registry host[:port]")
        host, ref = first, rest
    tag = ""
    last_slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > last_slash:
        ref, tag = ref[:colon], ref[colon + 1 :]
        if not TAG.match(tag):
            raise BadReference(
                f"tag {tag!r} is not valid (letters, digits, '_', '.', '-'; at most 128; "
                "not starting with '.' or '-')"
            )
    if not _PATH.match(ref):
        raise BadReference(
            f"repository {ref!r} is not valid (lower-case letters, digits and '.', '_', '-' "
            "between them, components separated by '/')"
        )
    return ImageRef(host, ref, tag, digest)


def check_tag(tag: str) -> str:
    """``tag`` if it is a valid tag, else :class:`BadReference`."""
    if not TAG.match(tag):
        raise BadReference(
            f"tag {tag!r} is not valid (letters, digits, '_', '.', '-'; at most 128; "
            "not starting with '.' or '-')"
        )
    return tag
