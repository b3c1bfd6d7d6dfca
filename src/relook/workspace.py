"""A workspace: one folder holding what outlives a run.

`judgements.jsonl` is the append-only log of analysts' must-link / cannot-link decisions
(honoured by every later run); `analysis.duckdb` is the analysis database of the latest
completed run (for explanations); `runs/` keeps each run's `run.json`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from relook.errors import RelookError
from relook.pipeline.resolve import Judgement

JUDGEMENT_KINDS = ("must_link", "cannot_link")


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def judgements_path(self) -> Path:
        return self.root / "judgements.jsonl"

    @property
    def analysis_path(self) -> Path:
        return self.root / "analysis.duckdb"

    @property
    def model_path(self) -> Path:
        """The resolution model of the latest completed run (reusable with --model)."""
        return self.root / "resolution-model.json"

    @property
    def runs_dir(self) -> Path:
        return self.root / "runs"

    def ensure(self) -> Workspace:
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    def record_judgement(
        self, record_a: str, record_b: str, kind: str, *, by: str, reason: str
    ) -> Judgement:
        """Append one decision; earlier ones are never changed."""
        if kind not in JUDGEMENT_KINDS:
            raise RelookError(f"judgement kind must be one of {', '.join(JUDGEMENT_KINDS)}")
        if not reason.strip():
            raise RelookError("a judgement needs a reason")
        try:
            judgement = Judgement(record_a, record_b, kind)  # type: ignore[arg-type]
        except ValueError as exc:
            raise RelookError(str(exc)) from None
        entry = {
            "record_a": record_a,
            "record_b": record_b,
            "kind": kind,
            "by": by,
            "reason": reason,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self.ensure()
        with self.judgements_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
        return judgement

    def judgements(self) -> list[Judgement]:
        """Every decision in the order made (the resolver lets a later one win)."""
        if not self.judgements_path.exists():
            return []
        result = []
        lines = self.judgements_path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                result.append(Judgement(entry["record_a"], entry["record_b"], entry["kind"]))
            except (json.JSONDecodeError, KeyError, ValueError) as exc:
                raise RelookError(
                    f"{self.judgements_path}: line {number} is not a valid judgement ({exc})"
                ) from None
        return result
