"""``schema``: the JSON Schema of services.yaml (for editors and CI checks)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from codexstack import config
from codexstack.flows.progress import SILENT, Reporter


@dataclass(frozen=True)
class Request:
    """No inputs: the schema describes every services.yaml."""


@dataclass(frozen=True)
class Result:
    """The schema document (JSON, or YAML when asked for)."""

    schema: dict[str, Any]
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return self.schema

    def text(self) -> str:
        return json.dumps(self.schema, indent=2) + "\n"


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Build the schema."""
    return Result(config.json_schema())
