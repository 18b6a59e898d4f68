"""The content files are checked on load; a mistake names its file, line and field."""

import re
from pathlib import Path

import pytest

from backcoach.library import content, vocabulary

MASSAGE = "techniques/bedtime-back-self-massage.yaml"


def line_of(path: Path, pattern: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern!r} not in {path}")


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_the_shipped_library_is_valid():
    library = content.load_library()
    assert len(library.techniques) >= 17
    assert len(library.routines) >= 6
    assert [r.slug for r in library.routines if r.is_default] == ["bedtime-back-self-massage"]


def test_every_technique_file_declares_its_contraindications_explicitly():
    for path in sorted((content.CONTENT_DIR / "techniques").glob("*.yaml")):
        text = path.read_text()
        assert re.search(r"^\s+excludes:", text, re.M), f"{path.name} has no excludes:"
        assert re.search(r"^\s+cautions:", text, re.M), f"{path.name} has no cautions:"


def test_the_bedtime_massage_is_the_source_method():
    library = content.load_library()
    massage = next(t for t in library.techniques if t.slug == "bedtime-back-self-massage")
    assert massage.default_duration == 300
    assert massage.position == "lying-on-back"
    assert massage.bed_friendly
    assert "lower-back" in massage.body_areas
    props = {(p["kind"], p["at"]) for frame in massage.pose["frames"] for p in frame["props"]}
    assert {("pillow", "knees"), ("pillow", "head")} <= props
    text = " ".join(massage.instructions).lower()
    assert "beside the spine" in text or "either side of the spine" in text


def test_pressure_never_goes_on_the_spine_itself():
    """Every massage or rolling technique says to stay beside the spine, not on it."""
    library = content.load_library()
    for technique in library.techniques:
        if technique.kind != "massage" or not {"lower-back", "mid-back", "upper-back"} & set(
            technique.body_areas
        ):
            continue
        words = " ".join([*technique.instructions, *(c.say for c in technique.cues)]).lower()
        assert "spine" in words, technique.slug
        assert re.search(
            r"(not|never|avoid)[^.]*spine|beside the spine|either side of (the|your) spine", words
        ), technique.slug


def test_pressure_never_goes_over_a_wound_swelling_or_a_clot():
    library = content.load_library()
    for technique in library.techniques:
        if technique.kind != "massage":
            continue
        assert {"skin-wound-or-infection", "local-inflammation", "deep-vein-thrombosis"} <= set(
            technique.excludes
        ), technique.slug


def test_rolling_the_lower_back_keeps_force_off_the_kidney_area():
    library = content.load_library()
    for technique in library.techniques:
        tools = {"foam-roller", "massage-ball"} & set(technique.equipment)
        if tools and "lower-back" in technique.body_areas:
            words = " ".join([*technique.instructions, *(c.say for c in technique.cues)]).lower()
            assert "kidney" in words or "under the ribs" in words, technique.slug


def test_sources_are_all_cited_and_all_exist():
    """The bibliography serves the technique notes, the red flags, the evidence page and
    the diary's questions."""
    from backcoach.diary import measures
    from backcoach.experiments import outcomes as experiment_outcomes
    from backcoach.insights import stats as insights_stats
    from backcoach.safety.content import benefits, red_flag_groups

    library = content.load_library()
    cited = {key for t in library.techniques for key in t.sources}
    cited |= {key for group in red_flag_groups() for key in group.sources}
    cited |= {key for benefit in benefits() for key in benefit.sources}
    cited |= set(measures.SOURCES)
    cited |= set(insights_stats.SOURCES)
    cited |= set(experiment_outcomes.SOURCES)
    listed = {s.key for s in library.sources}
    assert cited == listed


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "line_pattern", "message"),
    [
        (
            MASSAGE,
            "equipment: [hands]",
            "equipment: [hands, jetpack]",
            "equipment[1]",
            r"^equipment:",
            "'jetpack' is not one of",
        ),
        (
            MASSAGE,
            "kind: massage",
            "kind: massage\nflavour: mint",
            "flavour",
            r"^flavour:",
            "unknown field",
        ),
        (MASSAGE, "sides: both", "sides: three", "sides", r"^sides:", "is not one of"),
        (MASSAGE, "intensity: moderate", "intensity: moderate\nintensity: firm", None, None, None),
    ],
)
def test_a_bad_field_is_named_with_its_file_and_line(
    content_dir, file, old, new, field, line_pattern, message
):
    path = content_dir / file
    rewrite(path, old, new)
    if field is None:
        # A repeated key: YAML keeps the last; the file still loads.
        content.load_library(content_dir)
        return
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    error = caught.value
    assert error.file == str(path)
    assert error.field == field
    assert error.line == line_of(path, line_pattern)
    assert message in error.message


def test_bad_yaml_is_reported_at_its_line(content_dir):
    path = content_dir / MASSAGE
    lines = path.read_text().splitlines()
    lines.insert(3, "kind: [massage")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert caught.value.file == str(path)
    assert caught.value.field == "(yaml)"
    assert 4 <= caught.value.line <= 6


def test_a_missing_duration_is_named(content_dir):
    path = content_dir / MASSAGE
    text = path.read_text()
    start = text.index("duration:")
    end = text.index("\n", start)
    # The duration may be written inline or as a block; remove it whole.
    block = re.match(r"duration:.*\n(?:[ \t]+.*\n)*", text[start:]).group(0)
    path.write_text(text[:start] + text[start + len(block) :])
    assert end > start
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert caught.value.field == "duration"
    assert caught.value.message == "is missing"
    assert caught.value.file == str(path)


def test_a_technique_whose_shortest_length_cannot_hold_its_cues_is_refused(content_dir):
    """Cues 5 s apart, the last 5 s before the end: 14 s holds two cues, 15 s three."""
    path = content_dir / MASSAGE
    rewrite(path, "min: 120", "min: 15")
    rewrite(path, "    say: Slide", "    say: Breathe.\n  - at: 40\n    say: Slide")
    content.load_library(content_dir)
    rewrite(path, "min: 15", "min: 14")
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert (caught.value.file, caught.value.field) == (str(path), "cues")
    assert caught.value.line == line_of(path, r"^  - at: 0$")  # the list starts there
    assert "3 cues do not fit the shortest duration (14 s)" in caught.value.message
    assert "14 s holds 2" in caught.value.message


def test_a_duplicate_slug_is_named(content_dir):
    source = content_dir / MASSAGE
    copy = content_dir / "techniques" / "zz-copy.yaml"
    copy.write_text(source.read_text())
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert caught.value.file == str(copy)
    assert caught.value.field == "slug"
    assert caught.value.line == line_of(copy, r"^slug:")
    assert "is used by bedtime-back-self-massage.yaml too" in caught.value.message


def test_a_routine_naming_an_unknown_technique_is_named(content_dir):
    path = content_dir / "routines" / "bedtime-back-self-massage.yaml"
    rewrite(path, "technique: bedtime-back-self-massage", "technique: back-flip")
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert caught.value.file == str(path)
    assert caught.value.field == "steps[0].technique"
    assert caught.value.line == line_of(path, r"technique: back-flip")
    assert "unknown technique 'back-flip'" in caught.value.message


def test_an_unknown_contraindication_key_is_named(content_dir):
    path = content_dir / MASSAGE
    text = path.read_text()
    text = re.sub(r"excludes: \[", "excludes: [dragon-bite, ", text, count=1)
    path.write_text(text)
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert caught.value.field == "contraindications.excludes[0]"
    assert "'dragon-bite' is not one of" in caught.value.message


def test_a_citation_missing_from_the_bibliography_is_named(content_dir):
    path = content_dir / MASSAGE
    text = path.read_text()
    text = re.sub(r"sources: \[", "sources: [made-up-2099, ", text, count=1)
    path.write_text(text)
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert caught.value.field == "evidence.sources"
    assert "'made-up-2099'" in caught.value.message


def test_an_empty_file_is_named(content_dir):
    path = content_dir / MASSAGE
    path.write_text("")
    with pytest.raises(content.ContentError) as caught:
        content.load_library(content_dir)
    assert (caught.value.file, caught.value.message) == (str(path), "is empty")


def test_the_vocabulary_has_labels_for_every_key():
    for mapping in (
        vocabulary.BODY_AREAS,
        vocabulary.POSITIONS,
        vocabulary.EQUIPMENT,
        vocabulary.CONTRAINDICATIONS,
    ):
        assert all(isinstance(label, str) and label for label in mapping.values())


def test_every_bedtime_routine_ends_on_a_massage_and_its_resting_cue():
    """In bed the massage comes last, stretches before it: the routine ends where sleep
    begins. A bedtime routine without a massage is all stretches, which is allowed."""
    library = content.load_library()
    kinds = {t.slug: t.kind for t in library.techniques}
    bedtime = [r for r in library.routines if r.purpose == "bedtime"]
    assert len(bedtime) >= 2
    for routine in bedtime:
        steps = [kinds[step.technique] for step in routine.steps]
        if "massage" in steps:
            first = steps.index("massage")
            assert set(steps[first:]) == {"massage"}, f"{routine.slug}: {steps}"
            last = next(t for t in library.techniques if t.slug == routine.steps[-1].technique)
            assert re.search(r"sleep|rest", last.cues[-1].say, re.I), (routine.slug, last.cues[-1])
