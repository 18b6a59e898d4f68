"""Reads and checks the library's content files (techniques, routines, sources).

Pure Python and PyYAML, no Django: the files are the source of truth, and this module is
the schema. Any problem raises ContentError naming the file, the line and the field, so
that whoever edits the content can fix it without reading code.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import vocabulary as vocab

CONTENT_DIR = Path(__file__).parent / "content"
FIGURE_KEYS = (
    "torso",
    "head",
    "upper_arm",
    "forearm",
    "far_upper_arm",
    "far_forearm",
    "thigh",
    "shin",
    "far_thigh",
    "far_shin",
)


class ContentError(Exception):
    def __init__(self, file: Path | str, line: int, field_name: str, message: str):
        self.file, self.line, self.field, self.message = str(file), line, field_name, message
        super().__init__(f"{self.file}:{line}: {field_name}: {message}")


@dataclass(frozen=True)
class Cue:
    at: int
    say: str


@dataclass(frozen=True)
class Caution:
    key: str
    say: str


@dataclass(frozen=True)
class Technique:
    slug: str
    name: str
    summary: str
    kind: str
    body_areas: tuple[str, ...]
    position: str
    equipment: tuple[str, ...]
    bed_friendly: bool
    intensity: str
    intensity_guidance: str
    default_duration: int
    min_duration: int
    max_duration: int
    sides: str
    instructions: tuple[str, ...]
    cues: tuple[Cue, ...]
    excludes: tuple[str, ...]
    cautions: tuple[Caution, ...]
    evidence_note: str
    sources: tuple[str, ...]
    pose: dict = field(hash=False, compare=True)

    def as_record(self) -> dict:
        return json.loads(json.dumps(asdict(self)))


@dataclass(frozen=True)
class RoutineStep:
    technique: str
    duration: int
    side: str


@dataclass(frozen=True)
class Routine:
    slug: str
    name: str
    summary: str
    purpose: str
    is_default: bool
    steps: tuple[RoutineStep, ...]

    def as_record(self) -> dict:
        return json.loads(json.dumps(asdict(self)))


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    url: str
    identifier: str

    def as_record(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Library:
    techniques: tuple[Technique, ...]
    routines: tuple[Routine, ...]
    sources: tuple[Source, ...]
    checksum: str


# Reading YAML with line numbers -----------------------------------------------------------


class Node:
    """A YAML value with the file and line it came from, and a path for messages."""

    def __init__(self, file: Path, node: yaml.Node, path: str, constructor=None):
        self.file, self.node, self.path = file, node, path
        self.line = node.start_mark.line + 1
        # One constructor per file turns nodes into Python values without re-parsing.
        self.constructor = constructor or yaml.constructor.SafeConstructor()

    def error(self, message: str, path: str | None = None) -> ContentError:
        return ContentError(self.file, self.line, path or self.path, message)

    def child(self, key: str) -> "Node | None":
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error("must be a mapping of fields")
        for key_node, value_node in self.node.value:
            if key_node.value == key:
                path = f"{self.path}.{key}" if self.path else key
                return Node(self.file, value_node, path, self.constructor)
        return None

    def field_lines(self) -> list[tuple[str, int]]:
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error("must be a mapping of fields")
        return [(k.value, k.start_mark.line + 1) for k, _ in self.node.value]

    def items(self) -> list["Node"]:
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error("must be a list")
        return [
            Node(self.file, item, f"{self.path}[{index}]", self.constructor)
            for index, item in enumerate(self.node.value)
        ]

    def value(self) -> Any:
        return self.constructor.construct_object(self.node, deep=True)


class Fields:
    """Typed access to a mapping's fields, refusing unknown ones."""

    def __init__(self, node: Node, allowed: set[str]):
        self.node = node
        for key, line in node.field_lines():
            if key not in allowed:
                path = f"{node.path}.{key}" if node.path else key
                raise ContentError(
                    node.file, line, path, f"unknown field (allowed: {', '.join(sorted(allowed))})"
                )

    def _get(self, key: str, required: bool) -> Node | None:
        child = self.node.child(key)
        if child is None and required:
            path = f"{self.node.path}.{key}" if self.node.path else key
            raise self.node.error("is missing", path)
        return child

    def text(self, key: str, *, required: bool = True, max_length: int = 2000) -> str:
        child = self._get(key, required)
        if child is None:
            return ""
        value = child.value()
        if not isinstance(value, str) or not value.strip():
            raise child.error("must be non-empty text")
        if len(value) > max_length:
            raise child.error(f"is longer than {max_length} characters")
        return " ".join(value.split())

    def slug(self, key: str) -> str:
        child = self._get(key, True)
        value = child.value()
        if (
            not isinstance(value, str)
            or not value
            or not all(c.islower() or c.isdigit() or c == "-" for c in value)
        ):
            raise child.error("must be lower-case letters, digits and hyphens")
        return value

    def choice(self, key: str, choices, *, required: bool = True, default: str = "") -> str:
        child = self._get(key, required)
        if child is None:
            return default
        value = child.value()
        if value not in choices:
            raise child.error(f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def choices(
        self, key: str, choices, *, required: bool = True, allow_empty: bool = False
    ) -> tuple[str, ...]:
        child = self._get(key, required)
        if child is None:
            return ()
        values = []
        for item in child.items():
            value = item.value()
            if value not in choices:
                raise item.error(f"{value!r} is not one of: {', '.join(choices)}")
            if value in values:
                raise item.error(f"{value!r} is listed twice")
            values.append(value)
        if not values and not allow_empty:
            raise child.error("must list at least one")
        return tuple(values)

    def integer(self, key: str, *, low: int, high: int, required: bool = True) -> int | None:
        child = self._get(key, required)
        if child is None:
            return None
        value = child.value()
        if isinstance(value, bool) or not isinstance(value, int):
            raise child.error("must be a whole number")
        if not low <= value <= high:
            raise child.error(f"{value} is outside {low}..{high}")
        return value

    def number(self, key: str, *, low: float, high: float) -> float | None:
        child = self._get(key, False)
        if child is None:
            return None
        value = child.value()
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise child.error("must be a number")
        if not low <= value <= high:
            raise child.error(f"{value} is outside {low}..{high}")
        return float(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        child = self._get(key, False)
        if child is None:
            return default
        value = child.value()
        if not isinstance(value, bool):
            raise child.error("must be true or false")
        return value

    def texts(self, key: str, *, max_length: int = 600) -> tuple[str, ...]:
        child = self._get(key, True)
        values = []
        for item in child.items():
            value = item.value()
            if not isinstance(value, str) or not value.strip():
                raise item.error("must be non-empty text")
            if len(value) > max_length:
                raise item.error(f"is longer than {max_length} characters")
            values.append(" ".join(value.split()))
        if not values:
            raise child.error("must list at least one")
        return tuple(values)

    def node_of(self, key: str, *, required: bool = True) -> Node | None:
        return self._get(key, required)


def read_yaml(path: Path) -> Node:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, 1, "(file)", "is not UTF-8 text") from None
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError(path, line, "(yaml)", f"is not valid YAML: {exc.problem}") from None
    if root is None:
        raise ContentError(path, 1, "(file)", "is empty")
    node = Node(path, root, "")
    if not isinstance(root, yaml.MappingNode):
        raise node.error("must be a mapping of fields", "(file)")
    return node


# The three kinds of file ---------------------------------------------------------------

TECHNIQUE_FIELDS = {
    "slug",
    "name",
    "summary",
    "kind",
    "body_areas",
    "position",
    "equipment",
    "bed_friendly",
    "intensity",
    "intensity_guidance",
    "duration",
    "sides",
    "instructions",
    "cues",
    "contraindications",
    "evidence",
    "pose",
}


def parse_technique(path: Path) -> Technique:
    root = read_yaml(path)
    f = Fields(root, TECHNIQUE_FIELDS)
    slug = f.slug("slug")

    duration = Fields(f.node_of("duration"), {"default", "min", "max"})
    default = duration.integer("default", low=10, high=1800)
    minimum = duration.integer("min", low=10, high=1800)
    maximum = duration.integer("max", low=10, high=3600, required=False) or default * 2
    if not minimum <= default <= maximum:
        raise duration.node.error("needs min <= default <= max")

    cues = []
    for item in f.node_of("cues").items():
        cue = Fields(item, {"at", "say"})
        at = cue.integer("at", low=0, high=3600)
        if at >= maximum:
            raise item.child("at").error(f"{at} s is after the longest duration ({maximum} s)")
        if cues and at <= cues[-1].at:
            raise item.child("at").error("cues must be in time order, one per moment")
        cues.append(Cue(at=at, say=cue.text("say", max_length=300)))
    if not cues or cues[0].at != 0:
        raise f.node_of("cues").error("must start with a cue at 0 seconds")

    contra = Fields(f.node_of("contraindications"), {"excludes", "cautions"})
    excludes = contra.choices("excludes", vocab.CONTRAINDICATIONS, allow_empty=True)
    cautions = []
    for item in contra.node_of("cautions").items():
        caution = Fields(item, {"key", "say"})
        key = caution.choice("key", vocab.CONTRAINDICATIONS)
        if key in excludes:
            raise item.child("key").error(f"{key!r} is already excluded")
        cautions.append(Caution(key=key, say=caution.text("say", max_length=300)))

    evidence = Fields(f.node_of("evidence"), {"note", "sources"})
    sources_node = evidence.node_of("sources")
    sources = tuple(str(item.value()) for item in sources_node.items())
    if not sources:
        raise sources_node.error("must cite at least one source")

    return Technique(
        slug=slug,
        name=f.text("name", max_length=80),
        summary=f.text("summary", max_length=240),
        kind=f.choice("kind", vocab.KINDS),
        body_areas=f.choices("body_areas", vocab.BODY_AREAS),
        position=f.choice("position", vocab.POSITIONS),
        equipment=f.choices("equipment", vocab.EQUIPMENT),
        bed_friendly=f.boolean("bed_friendly", default=False),
        intensity=f.choice("intensity", vocab.INTENSITIES),
        intensity_guidance=f.text("intensity_guidance", max_length=400),
        default_duration=default,
        min_duration=minimum,
        max_duration=maximum,
        sides=f.choice("sides", vocab.SIDES),
        instructions=f.texts("instructions"),
        cues=tuple(cues),
        excludes=excludes,
        cautions=tuple(cautions),
        evidence_note=evidence.text("note", max_length=1200),
        sources=sources,
        pose=parse_pose(f.node_of("pose")),
    )


def parse_pose(node: Node) -> dict:
    pose = Fields(node, {"frames"})
    frames = pose.node_of("frames").items()
    if not 1 <= len(frames) <= 2:
        raise pose.node_of("frames").error("must have one or two frames")
    parsed = []
    for frame_node in frames:
        frame = Fields(frame_node, {"label", "figure", "props", "surface", "work_area"})
        figure = Fields(frame.node_of("figure"), {*FIGURE_KEYS, "front"})
        angles = {}
        for key in FIGURE_KEYS:
            value = figure.number(key, low=-360, high=360)
            if value is not None:
                angles[key] = value
        for key in ("torso", "upper_arm", "forearm", "thigh", "shin"):
            if key not in angles:
                raise figure.node.error("is missing", f"{figure.node.path}.{key}")
        front = figure.choice("front", vocab.FRONTS, required=False, default="")
        props = []
        props_node = frame.node_of("props", required=False)
        for item in props_node.items() if props_node else []:
            prop = Fields(item, {"kind", "at", "to"})
            kind = prop.choice("kind", vocab.PROPS)
            at = prop.choice("at", vocab.ANCHORS)
            to = prop.choice("to", vocab.ANCHORS, required=kind == "strap", default="")
            props.append({"kind": kind, "at": at, **({"to": to} if to else {})})
        parsed.append(
            {
                "label": frame.text("label", required=False, max_length=40),
                "figure": {**angles, **({"front": front} if front else {})},
                "props": props,
                "surface": frame.choice("surface", vocab.SURFACES, required=False, default="floor"),
                "work_area": list(frame.choices("work_area", vocab.ANCHORS)),
            }
        )
    return {"frames": parsed}


ROUTINE_FIELDS = {"slug", "name", "summary", "purpose", "default", "steps"}
PURPOSES = {
    "bedtime": "At bedtime",
    "morning": "In the morning",
    "desk": "At the desk",
    "anytime": "Any time",
    "flare-up": "During a flare-up",
}


def parse_routine(path: Path, techniques: dict[str, Technique]) -> Routine:
    root = read_yaml(path)
    f = Fields(root, ROUTINE_FIELDS)
    slug = f.slug("slug")
    steps = []
    for item in f.node_of("steps").items():
        step = Fields(item, {"technique", "duration", "side"})
        technique_node = item.child("technique")
        technique_slug = step.slug("technique")
        if technique_slug not in techniques:
            raise technique_node.error(f"names an unknown technique {technique_slug!r}")
        technique = techniques[technique_slug]
        duration = step.integer("duration", low=10, high=3600, required=False)
        duration = technique.default_duration if duration is None else duration
        if not technique.min_duration <= duration <= technique.max_duration:
            raise item.child("duration").error(
                f"{duration} s is outside {technique.slug}'s range "
                f"{technique.min_duration}..{technique.max_duration} s"
            )
        side = step.choice("side", vocab.STEP_SIDES, required=False, default="both")
        if technique.sides == "each" and side == "both":
            raise item.error(
                f"{technique.slug} is done one side at a time: add side: left or right"
            )
        if technique.sides == "both" and side != "both":
            raise item.child("side").error(f"{technique.slug} works both sides at once")
        steps.append(RoutineStep(technique=technique_slug, duration=duration, side=side))
    if not steps:
        raise f.node_of("steps").error("must list at least one step")
    return Routine(
        slug=slug,
        name=f.text("name", max_length=80),
        summary=f.text("summary", max_length=300),
        purpose=f.choice("purpose", PURPOSES),
        is_default=f.boolean("default", default=False),
        steps=tuple(steps),
    )


def parse_sources(path: Path) -> tuple[Source, ...]:
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


def load_library(directory: Path = CONTENT_DIR) -> Library:
    """Read every content file; raise ContentError at the first problem."""
    sources = parse_sources(directory / "sources.yaml")
    source_keys = {source.key for source in sources}
    techniques: dict[str, Technique] = {}
    files: dict[str, Path] = {}
    for path in sorted((directory / "techniques").glob("*.yaml")):
        technique = parse_technique(path)
        if technique.slug in files:
            raise (
                read_yaml(path)
                .child("slug")
                .error(f"{technique.slug!r} is used by {files[technique.slug].name} too")
            )
        files[technique.slug] = path
        missing = [key for key in technique.sources if key not in source_keys]
        if missing:
            root = read_yaml(path)
            node = root.child("evidence").child("sources")
            raise node.error(f"cites {missing[0]!r}, which is not in sources.yaml")
        techniques[technique.slug] = technique
    routines: list[Routine] = []
    routine_files: dict[str, Path] = {}
    for path in sorted((directory / "routines").glob("*.yaml")):
        routine = parse_routine(path, techniques)
        if routine.slug in routine_files:
            raise (
                read_yaml(path)
                .child("slug")
                .error(f"{routine.slug!r} is used by {routine_files[routine.slug].name} too")
            )
        routine_files[routine.slug] = path
        routines.append(routine)
    defaults = [routine.slug for routine in routines if routine.is_default]
    if len(defaults) != 1:
        raise ContentError(
            directory / "routines",
            1,
            "default",
            f"exactly one routine must be the default, found {defaults or 'none'}",
        )
    checksum = library_checksum(tuple(techniques.values()), tuple(routines), sources)
    return Library(tuple(techniques.values()), tuple(routines), sources, checksum)


def library_checksum(techniques, routines, sources) -> str:
    """A digest of the content itself (not of file bytes): equal content, equal checksum."""
    technique_records = []
    for technique in techniques:
        record = technique.as_record()
        record["sources"] = sorted(record["sources"])  # a set of citations, not a sequence
        technique_records.append(record)
    document = {
        "techniques": sorted(technique_records, key=lambda r: r["slug"]),
        "routines": sorted((r.as_record() for r in routines), key=lambda r: r["slug"]),
        "sources": sorted((s.as_record() for s in sources), key=lambda r: r["key"]),
    }
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()
