"""``init workflows``: install the shipped GitHub workflows into a repository.

``templates/workflows`` holds codexstack's eight reusable workflows (``codexstack-*.yml``, on
``workflow_call``) and the thin callers that trigger them (``ai-*.yml``). This flow copies
them into ``<directory>/.github/workflows``. A file that is already there with the same bytes
is left as it is; one with other content (a local edit, an older release) is never
overwritten unless ``force`` is set: then nothing at all is written and the error lists every
such file, so a re-run after an upgrade is safe to try. ``dry_run`` reports without writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack import templating
from codexstack.errors import CodexstackError, UsageError
from codexstack.flows.progress import SILENT, Reporter

TARGET = Path(".github") / "workflows"


@dataclass(frozen=True)
class Request:
    """Where to install and whether changed files may be replaced."""

    directory: Path = Path()
    force: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class Installed:
    """One workflow file and what happened to it."""

    name: str
    path: Path
    action: str
    """``created``, ``updated`` (``force`` replaced other content) or ``unchanged``."""


@dataclass(frozen=True)
class Result:
    """Every shipped file, in name order."""

    directory: Path
    files: tuple[Installed, ...]
    dry_run: bool = False
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        if fmt == "kv":
            return {f.name: f.action for f in self.files}
        return {
            "directory": str(self.directory),
            "dryRun": self.dry_run,
            "files": [
                {"name": f.name, "path": str(f.path), "action": f.action} for f in self.files
            ],
        }

    def text(self) -> str:
        verb = "would be " if self.dry_run else ""
        return "".join(f"{verb}{f.action}: {f.path}\n" for f in self.files)


def shipped() -> list[Path]:
    """The shipped workflow files, in name order."""
    return sorted(templating.asset_dir("workflows").glob("*.yml"))


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Install every shipped workflow file (all or nothing when some differ)."""
    repo = request.directory
    if not repo.is_dir():
        raise UsageError(f"{repo} is not a directory", hint="give the repository with --dir")
    target = repo / TARGET
    plan: list[tuple[Installed, bytes]] = []
    conflicts: list[Path] = []
    for source in shipped():
        dest = target / source.name
        content = source.read_bytes()
        if not dest.exists():
            action = "created"
        elif dest.is_file() and dest.read_bytes() == content:
            action = "unchanged"
        else:
            conflicts.append(dest)
            action = "updated"
        plan.append((Installed(source.name, dest, action), content))
    if conflicts and not request.force:
        listed = ", ".join(str(p) for p in conflicts)
        raise CodexstackError(
            f"{len(conflicts)} workflow file(s) differ from the shipped ones: {listed}",
            hint="keep your changes, or pass --force to replace them (nothing was written)",
        )
    if not request.dry_run:
        target.mkdir(parents=True, exist_ok=True)
        for installed, content in plan:
            if installed.action != "unchanged":
                installed.path.write_bytes(content)
    changed = sum(1 for installed, _ in plan if installed.action != "unchanged")
    done = "to write" if request.dry_run else "written"
    progress.info(f"{changed} of {len(plan)} workflow files {done} in {target}")
    return Result(repo, tuple(i for i, _ in plan), request.dry_run)
