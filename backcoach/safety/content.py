"""Safety's content files: the sources (the bibliography), the red-flag screen and the
evidence notes. Pure Python: read and checked through backcoach.content_files, so a
broken file is reported with its file, line and field."""

import functools
from dataclasses import asdict, dataclass
from pathlib import Path

from backcoach.content_files import ContentError, Fields, Node, read_yaml

from .rules import SOON, URGENT

CONTENT_DIR = Path(__file__).parent / "content"
SOURCES_FILE = CONTENT_DIR / "sources.yaml"


@dataclass(frozen=True)
class Source:
    """A guideline, review or study that an evidence note cites."""

    key: str
    citation: str
    url: str
    identifier: str

    def as_record(self) -> dict:
        return asdict(self)


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


def parse_sources(path: Path = SOURCES_FILE) -> tuple[Source, ...]:
    root = read_yaml(path)
    Fields(root, {"sources"})
    sources, seen = [], set()
    for item in root.child("sources").items() if root.child("sources") else []:
        f = Fields(item, {"key", "citation", "url", "identifier"})
        key = f.slug("key")
        if key in seen:
            raise item.child("key").error(f"{key!r} is listed twice")
        seen.add(key)
        url = f.text("url", max_length=500)
        if not url.startswith("https://"):
            raise item.child("url").error("must be an https:// address")
        sources.append(
            Source(
                key=key,
                citation=f.text("citation", max_length=600),
                url=url,
                identifier=f.text("identifier", required=False, max_length=120),
            )
        )
    if not sources:
        raise root.error("must list at least one source", "sources")
    return tuple(sources)


@functools.cache
def sources() -> tuple[Source, ...]:
    """The bibliography in sources.yaml, read once per process."""
    return parse_sources(SOURCES_FILE)


def cited_sources(node: Node, known: set[str]) -> tuple[str, ...]:
    """The source keys a `sources` list cites, each checked against the bibliography."""
    keys = tuple(str(item.value()) for item in node.items())
    if not keys:
        raise node.error("must cite at least one source")
    for key in keys:
        if key not in known:
            raise node.error(f"cites {key!r}, which is not in sources.yaml")
    return keys


@functools.cache
def red_flag_groups(path: Path = CONTENT_DIR / "red_flags.yaml") -> tuple[FlagGroup, ...]:
    known = {source.key for source in sources()}
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
                sources=cited_sources(f.node_of("sources"), known),
                flags=tuple(flags),
            )
        )
    if not groups:
        raise ContentError(path, 1, "groups", "must list at least one group")
    return tuple(groups)


@functools.cache
def benefits(path: Path = CONTENT_DIR / "evidence.yaml") -> tuple[Benefit, ...]:
    known = {source.key for source in sources()}
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
                cited_sources(f.node_of("sources"), known),
            )
        )
    return tuple(found)


def flag_levels() -> dict[str, str]:
    return {flag.key: group.level for group in red_flag_groups() for flag in group.flags}


def groups_raised(answers: dict[str, bool]) -> list[FlagGroup]:
    return [g for g in red_flag_groups() if any(answers.get(f.key) for f in g.flags)]
