"""Reads and checks the library's content files (techniques and routines).

Pure Python, no Django: the files are the source of truth, and this module is their
schema. Any problem raises ContentError naming the file, the line and the field, so that
whoever edits the content can fix it without reading code. The sources that evidence notes
cite are safety's (backcoach/safety/content/sources.yaml).
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from backcoach.content_files import ContentError, Fields, Node, read_yaml
from backcoach.safety import content as safety_content
from backcoach.safety.content import Source

from . import vocabulary as vocab
from .cue_timing import CUE_GAP, END_CLEARANCE, cue_capacity

# The renderer says which angles, views, insets and body parts a figure can have.
from .figures import ANGLE_KEYS, INSETS, PARTS, VIEWS

CONTENT_DIR = Path(__file__).parent / "content"


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
class Library:
    techniques: tuple[Technique, ...]
    routines: tuple[Routine, ...]
    sources: tuple[Source, ...]
    checksum: str


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
    # The players re-time the cues to each step's length and never drop one: the
    # shortest step must have room for every cue.
    if len(cues) > cue_capacity(minimum):
        raise f.node_of("cues").error(
            f"{len(cues)} cues do not fit the shortest duration ({minimum} s): cues are "
            f"at least {CUE_GAP} s apart and the last one at least {END_CLEARANCE} s "
            f"before the end, so {minimum} s holds {cue_capacity(minimum)}; raise "
            "duration.min or say less"
        )

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
        frame = Fields(
            frame_node,
            {"label", "figure", "props", "surface", "work_area", "view", "inset", "touches"},
        )
        figure = Fields(frame.node_of("figure"), {*ANGLE_KEYS, "front"})
        angles = {}
        for key in ANGLE_KEYS:
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
        view = frame.choice("view", tuple(VIEWS), required=False, default="side")
        inset = frame.choice("inset", INSETS, required=False, default="")
        touches = frame.choices("touches", PARTS, required=False)
        parsed.append(
            {
                "label": frame.text("label", required=False, max_length=40),
                "figure": {**angles, **({"front": front} if front else {})},
                "props": props,
                "surface": frame.choice("surface", vocab.SURFACES, required=False, default="floor"),
                "work_area": list(frame.choices("work_area", vocab.ANCHORS)),
                **({"view": view} if view != "side" else {}),
                **({"inset": inset} if inset else {}),
                **({"touches": list(touches)} if touches else {}),
            }
        )
    return {"frames": parsed}


ROUTINE_FIELDS = {"slug", "name", "summary", "purpose", "default", "steps"}


def parse_routine(path: Path, techniques: dict[str, Technique]) -> Routine:
    root = read_yaml(path)
    f = Fields(root, ROUTINE_FIELDS)
    slug = f.slug("slug")
    if slug.startswith(vocab.OWN_SLUG_PREFIX):
        raise root.child("slug").error(
            f"slugs starting with {vocab.OWN_SLUG_PREFIX!r} are kept for people's own routines"
        )
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
        purpose=f.choice("purpose", vocab.PURPOSES),
        is_default=f.boolean("default", default=False),
        steps=tuple(steps),
    )


def load_library(
    directory: Path = CONTENT_DIR, *, sources_file: Path = safety_content.SOURCES_FILE
) -> Library:
    """Read every content file; raise ContentError at the first problem."""
    sources = safety_content.parse_sources(sources_file)
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
