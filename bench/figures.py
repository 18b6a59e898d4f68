"""What a benchmark returns: `Figure`s, judged against their budgets, and the statistics
that make them. A `BenchError` says a benchmark could not measure what it set out to."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass


class BenchError(Exception):
    """A benchmark could not measure what it set out to measure."""


@dataclass
class Figure:
    name: str  # stable id, e.g. "startup.second_start"
    title: str  # what a person reads in the table
    value: float | None
    unit: str
    samples: int
    budget: float | None = None
    budget_op: str = "<="  # "<=" (value must not exceed budget) or ">="
    note: str = ""
    status: str = ""  # filled in by `judge`: pass, fail, n/a, skipped, error

    def judge(self) -> Figure:
        if self.status in ("skipped", "error"):
            return self
        if self.value is None:
            self.status = "error"
        elif self.budget is None:
            self.status = "n/a"
        elif self.budget_op == "<=":
            self.status = "pass" if self.value <= self.budget else "fail"
        else:
            self.status = "pass" if self.value >= self.budget else "fail"
        return self

    def as_dict(self) -> dict:
        data = asdict(self)
        if isinstance(self.value, float):
            data["value"] = round(self.value, 4)
        data["passed"] = {"pass": True, "fail": False}.get(self.status)
        return data


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def percentile(values: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least pct% of samples at or below."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def spread(values: Iterable[float], fmt: str = "{:.2f}") -> str:
    values = list(values)
    return f"min {fmt.format(min(values))}, max {fmt.format(max(values))}"
