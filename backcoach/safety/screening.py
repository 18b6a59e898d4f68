"""The red-flag screen and the evidence notes, read from their content files."""

import functools
from dataclasses import dataclass
from pathlib import Path

from backcoach.library.content import ContentError, Fields, read_yaml
from backcoach.library.content import load_library as load_library_files

from .rules import SOON, URGENT

CONTENT = Path(__file__).parent / "content"


@dataclass(frozen=True)
class Flag:
    key: str
    question: str


@dataclass(frozen=True)
class FlagGroup:
    key: str
    title: str
    level: str
    meaning: str
    advice: str
    sources: tuple[str, ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class Benefit:
    key: str
    title: str
    strength: str
    note: str
    sources: tuple[str, ...]


def _sources(node, known: set[str]) -> tuple[str, ...]:
    keys = tuple(str(item.value()) for item in node.items())
    if not keys:
        raise node.error("must cite at least one source")
    for key in keys:
        if key not in known:
            raise node.error(f"cites {key!r}, which is not in sources.yaml")
    return keys


@functools.cache
def red_flag_groups(path: Path = CONTENT / "red_flags.yaml") -> tuple[FlagGroup, ...]:
    known = {source.key for source in load_library_files().sources}
    root = read_yaml(path)
    Fields(root, {"groups"})
    groups, seen = [], set()
    for node in root.child("groups").items():
        f = Fields(node, {"key", "title", "level", "meaning", "advice", "sources", "flags"})
        flags = []
        for flag_node in f.node_of("flags").items():
            flag = Fields(flag_node, {"key", "question"})
            key = flag.slug("key")
            if key in seen:
                raise flag_node.child("key").error(f"{key!r} is listed twice")
            seen.add(key)
            flags.append(Flag(key, flag.text("question", max_length=200)))
        groups.append(
            FlagGroup(
                key=f.slug("key"),
                title=f.text("title", max_length=80),
                level=f.choice("level", (URGENT, SOON)),
                meaning=f.text("meaning"),
                advice=f.text("advice"),
                sources=_sources(f.node_of("sources"), known),
                flags=tuple(flags),
            )
        )
    if not groups:
        raise ContentError(path, 1, "groups", "must list at least one group")
    return tuple(groups)


@functools.cache
def benefits(path: Path = CONTENT / "evidence.yaml") -> tuple[Benefit, ...]:
    known = {source.key for source in load_library_files().sources}
    root = read_yaml(path)
    Fields(root, {"benefits"})
    found = []
    for node in root.child("benefits").items():
        f = Fields(node, {"key", "title", "strength", "note", "sources"})
        found.append(
            Benefit(
                f.slug("key"),
                f.text("title", max_length=80),
                f.text("strength", max_length=120),
                f.text("note"),
                _sources(f.node_of("sources"), known),
            )
        )
    return tuple(found)


def flag_levels() -> dict[str, str]:
    return {flag.key: group.level for group in red_flag_groups() for flag in group.flags}


def groups_raised(answers: dict[str, bool]) -> list[FlagGroup]:
    return [g for g in red_flag_groups() if any(answers.get(f.key) for f in g.flags)]
