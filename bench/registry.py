"""The registry of benchmarks: `@benchmark(name, suite=...)` adds a function to it.

A benchmark is a function that takes a `Context` and returns a list of `Figure`s;
`bench/run.py` imports the modules listed in its MODULES, runs the registered benchmarks
of a suite in the order they were registered and writes `bench/results/<suite>.json` and
`<suite>.md`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from context import Context
    from figures import Figure


@dataclass
class Benchmark:
    name: str
    suite: str
    func: Callable[[Context], list[Figure]]
    slow: bool = False
    description: str = ""


REGISTRY: list[Benchmark] = []


def benchmark(name: str, *, suite: str, slow: bool = False):
    """Register `func(ctx) -> list[Figure]` as benchmark `name` of `suite` (runs in order)."""

    def register(func):
        if any(b.name == name for b in REGISTRY):
            raise ValueError(f"a benchmark named {name!r} is registered already")
        doc = (func.__doc__ or "").strip().splitlines()
        REGISTRY.append(Benchmark(name, suite, func, slow, doc[0] if doc else ""))
        return func

    return register
