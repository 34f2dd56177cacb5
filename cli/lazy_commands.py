"""A command table that builds each click command the first time it is looked up.

Typer turns every function into a click command (parameters, types, help) when the app is
built, and codexstack has 43 of them: ~35 ms of every start, for one command used. The root
group's ``commands`` is this mapping instead: its names (in registration order, which is what
``--help`` lists) are known up front, and a command or group is built by its builder on first
access and kept. Everything that reads ``commands`` (click's lookup, help, the global-flag
hoisting) goes through the mapping, so nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping

from typer._click.core import Command

__all__ = ["Command", "LazyCommands"]


class LazyCommands(MutableMapping[str, Command]):
    """``name -> Command``, each built on first access by its builder."""

    def __init__(self, builders: dict[str, Callable[[], Command]]) -> None:
        self._builders = dict(builders)
        self._built: dict[str, Command] = {}
        self._order = list(builders)

    def __getitem__(self, name: str) -> Command:
        found = self._built.get(name)
        if found is None:
            found = self._builders[name]()  # KeyError for an unknown name, as a dict
            self._built[name] = found
        return found

    def __setitem__(self, name: str, command: Command) -> None:
        if name not in self._builders and name not in self._built:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._builders and name not in self._built:
            raise KeyError(name)
        self._builders.pop(name, None)
        self._built.pop(name, None)
        self._order.remove(name)

    def __contains__(self, name: object) -> bool:
        return name in self._builders or name in self._built

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)
