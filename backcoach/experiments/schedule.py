"""The schedule of a personal experiment: which condition, "A" or "B", on which night.
Pure Python, no Django.

Nights come in pairs (blocks of two nights): one A night and one B night, the order drawn
for each pair from the seed. A schedule is three numbers, so it is stored as a small dict
and can be recomputed anywhere; docs/experiments.md says why pairs.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

A, B = "A", "B"
CONDITIONS = (A, B)
MIN_WEEKS, MAX_WEEKS = 2, 12
MIN_PAIRS, MAX_PAIRS = MIN_WEEKS * 7 // 2, MAX_WEEKS * 7 // 2  # 7 and 42
# Seeds stay below 2**53 so that they survive a trip through JavaScript's numbers.
SEED_LIMIT = 2**53
# The version of the rule that turns a seed into orders; stored with every schedule, so
# that a schedule saved today keeps its nights if the rule ever changes.
VERSION = 1
_KEYS = frozenset({"version", "first_night", "pairs", "seed"})


def _a_first(seed: int, pair: int) -> bool:
    """Whether pair `pair` starts with A. SHA-256 is fixed by a standard, so the order is
    the same in every Python version (random.shuffle's algorithm is not promised)."""
    digest = hashlib.sha256(f"backcoach-schedule-v{VERSION}:{seed}:{pair}".encode()).digest()
    return digest[0] & 1 == 0


def _check_int(name: str, value: Any, low: int, high: int) -> int:
    # bool is an int in Python; True pairs would be a bug, not a choice.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _check_date(name: str, value: Any) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValueError(f"{name} must be a date, not {value!r}")
    return value


@dataclass(frozen=True)
class Schedule:
    """A randomised schedule in pairs of nights, from `first_night` for `pairs` pairs."""

    first_night: dt.date
    pairs: int
    seed: int

    def __post_init__(self) -> None:
        _check_date("first_night", self.first_night)
        _check_int("pairs", self.pairs, MIN_PAIRS, MAX_PAIRS)
        _check_int("seed", self.seed, 0, SEED_LIMIT - 1)

    @classmethod
    def make(cls, *, first_night: dt.date, weeks: int, seed: int | None = None) -> "Schedule":
        """A schedule of `weeks` weeks (2 to 12) in whole pairs: `weeks * 7 // 2` pairs, so an
        odd number of weeks drops its last night. A new random seed unless one is given."""
        _check_int("weeks", weeks, MIN_WEEKS, MAX_WEEKS)
        if seed is None:
            seed = secrets.randbelow(SEED_LIMIT)
        return cls(first_night=first_night, pairs=weeks * 7 // 2, seed=seed)

    @property
    def last_night(self) -> dt.date:
        return self.first_night + dt.timedelta(days=2 * self.pairs - 1)

    def _index(self, night: dt.date) -> int | None:
        _check_date("night", night)
        index = (night - self.first_night).days
        return index if 0 <= index < 2 * self.pairs else None

    def pair_of(self, night: dt.date) -> int | None:
        """The pair (block) the night belongs to, from 0; None outside the schedule."""
        index = self._index(night)
        return None if index is None else index // 2

    def condition(self, night: dt.date) -> str | None:
        """The condition ("A" or "B") of a night of the schedule, None for any other night."""
        index = self._index(night)
        if index is None:
            return None
        first = _a_first(self.seed, index // 2)
        return A if first == (index % 2 == 0) else B

    def nights(self) -> list[tuple[dt.date, str]]:
        """Every night of the schedule in order, with its condition."""
        result = []
        for pair in range(self.pairs):
            order = (A, B) if _a_first(self.seed, pair) else (B, A)
            for offset, condition in enumerate(order):
                result.append((self.first_night + dt.timedelta(days=2 * pair + offset), condition))
        return result

    def as_dict(self) -> dict:
        return {
            "version": VERSION,
            "first_night": self.first_night.isoformat(),
            "pairs": self.pairs,
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Schedule":
        """The schedule `as_dict` gave; ValueError naming the problem for anything else."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a schedule must be a mapping, not {type(data).__name__}")
        missing, extra = _KEYS - set(data), set(data) - _KEYS
        if missing or extra:
            problems = [f"missing {', '.join(sorted(missing))}"] if missing else []
            problems += [f"unexpected {', '.join(sorted(map(str, extra)))}"] if extra else []
            raise ValueError(
                f"a schedule has version, first_night, pairs and seed: {'; '.join(problems)}"
            )
        if data["version"] != VERSION or isinstance(data["version"], bool):
            raise ValueError(
                f"unknown schedule version {data['version']!r} (this code knows {VERSION})"
            )
        first_night = data["first_night"]
        if not isinstance(first_night, str):
            raise ValueError(f"first_night must be an ISO date string, not {first_night!r}")
        try:
            parsed = dt.date.fromisoformat(first_night)
        except ValueError:
            raise ValueError(
                f"first_night must be an ISO date (YYYY-MM-DD), not {first_night!r}"
            ) from None
        if parsed.isoformat() != first_night:  # fromisoformat also takes 20261129 and the like
            raise ValueError(f"first_night must be written YYYY-MM-DD, not {first_night!r}")
        return cls(first_night=parsed, pairs=data["pairs"], seed=data["seed"])
