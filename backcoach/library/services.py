"""Loading the content files into the database, and telling when the two differ; a
person's own routines (from the builder) and their choice of tonight's routine."""

import dataclasses
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from backcoach.safety import services as safety_services
from backcoach.safety.content import Source as SourceContent
from backcoach.safety.models import Source

from . import content
from . import vocabulary as vocab
from .builder import Plan
from .models import LibraryState, Routine, RoutineStep, Technique

# The database row holds the content file's technique field for field; slug is the key and
# sources a many-to-many, so those two are written separately.
TECHNIQUE_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(content.Technique)
    if field.name not in {"slug", "sources"}
)


class LibraryEdited(Exception):
    """The database was changed in the admin since the last load; loading would undo that."""


@dataclass(frozen=True)
class LoadResult:
    changed: bool
    techniques: int
    routines: int
    sources: int
    message: str


def database_checksum() -> str:
    """The checksum of what the database holds now, computed like the files' one."""
    techniques = []
    for row in Technique.objects.filter(is_active=True).prefetch_related("sources"):
        record = {name: getattr(row, name) for name in TECHNIQUE_FIELDS}
        techniques.append(
            content.Technique(
                slug=row.slug,
                sources=tuple(source.key for source in row.sources.all()),
                **{
                    **record,
                    "body_areas": tuple(record["body_areas"]),
                    "equipment": tuple(record["equipment"]),
                    "instructions": tuple(record["instructions"]),
                    "excludes": tuple(record["excludes"]),
                    "cues": tuple(content.Cue(**cue) for cue in record["cues"]),
                    "cautions": tuple(content.Caution(**c) for c in record["cautions"]),
                },
            )
        )
    routines = []
    for row in (
        Routine.objects.library().filter(is_active=True).prefetch_related("steps__technique")
    ):
        routines.append(
            content.Routine(
                slug=row.slug,
                name=row.name,
                summary=row.summary,
                purpose=row.purpose,
                is_default=row.is_default,
                steps=tuple(
                    content.RoutineStep(step.technique.slug, step.duration, step.side)
                    for step in row.steps.all()
                ),
            )
        )
    sources = [
        SourceContent(key=s.key, citation=s.citation, url=s.url, identifier=s.identifier)
        for s in Source.objects.all()
    ]
    return content.library_checksum(techniques, routines, sources)


def library_status(library: content.Library) -> str:
    state = LibraryState.objects.first()
    current = database_checksum()
    if state is None:
        return "The library has never been loaded: run `backcoach library load`."
    if current == library.checksum:
        return "The database matches the content files."
    if current != state.database_checksum:
        return (
            "The database was edited in the admin since the last load; the content files "
            "differ from it. `backcoach library load --force` would replace those edits."
        )
    return "The content files changed since the last load: run `backcoach library load`."


def library_load(*, library: content.Library, force: bool = False) -> LoadResult:
    """Make the database hold exactly the library's content. A no-op when it already does.

    Techniques and routines that left the files are hidden, not deleted: a person's past
    practices may still point at them.
    """
    counts = (len(library.techniques), len(library.routines), len(library.sources))
    state = LibraryState.objects.first()
    current = database_checksum()
    if current == library.checksum:
        if state is None or state.files_checksum != library.checksum:
            LibraryState.objects.update_or_create(
                pk=state.pk if state else None,
                defaults={"files_checksum": library.checksum, "database_checksum": current},
            )
        return LoadResult(False, *counts, "The library is up to date; nothing changed.")
    edited = state is not None and current != state.database_checksum
    if edited and not force:
        raise LibraryEdited(
            "The library was edited in the admin since it was last loaded; loading the "
            "content files would undo those edits. Use --force to load them anyway."
        )
    with transaction.atomic():
        write_library(library)
        loaded = database_checksum()
        LibraryState.objects.update_or_create(
            pk=state.pk if state else None,
            defaults={"files_checksum": library.checksum, "database_checksum": loaded},
        )
    return LoadResult(
        True, *counts, "Loaded {} techniques, {} routines and {} sources.".format(*counts)
    )


def write_library(library: content.Library) -> None:
    sources = safety_services.sources_save(sources=library.sources)

    techniques = {}
    for item in library.techniques:
        record = item.as_record()
        defaults = {name: record[name] for name in TECHNIQUE_FIELDS}
        technique, _ = Technique.objects.update_or_create(
            slug=item.slug, defaults={**defaults, "is_active": True}
        )
        technique.sources.set([sources[key] for key in item.sources])
        techniques[item.slug] = technique
    Technique.objects.exclude(slug__in=techniques).update(is_active=False)

    Routine.objects.library().filter(is_default=True).update(is_default=False)
    kept = []
    for item in library.routines:
        routine, _ = Routine.objects.library().update_or_create(
            slug=item.slug,
            defaults={
                "name": item.name,
                "summary": item.summary,
                "purpose": item.purpose,
                "is_default": item.is_default,
                "is_active": True,
            },
        )
        routine.steps.all().delete()
        RoutineStep.objects.bulk_create(
            RoutineStep(
                routine=routine,
                order=index,
                technique=techniques[step.technique],
                duration=step.duration,
                side=step.side,
            )
            for index, step in enumerate(item.steps, start=1)
        )
        kept.append(item.slug)
    Routine.objects.library().exclude(slug__in=kept).update(is_active=False, is_default=False)


# --- A person's own routines --------------------------------------------------------------
BEDTIME = "bedtime"
MAX_OWN_STEPS = 30


class RoutineRefused(Exception):
    """What was asked of a person's own routine cannot be done; the message says why."""


@dataclass(frozen=True)
class OwnStep:
    """One step of a person's routine as they set it: a technique, its seconds, its side."""

    technique: str
    duration: int
    side: str


def own_routine_name(plan: Plan, purpose: str) -> str:
    minutes = max(1, round(plan.total / 60))
    kind = "bedtime routine" if purpose == BEDTIME else "routine"
    return f"My {minutes}-minute {kind}"


@transaction.atomic
def own_routine_from_plan(
    *, person, plan: Plan, purpose: str, name: str = "", save: bool
) -> Routine:
    """The builder's plan as the person's own routine, to play (`save=False`: unlisted, and
    the same plan started again reuses it) or to keep in My routines under `name`.

    Saving a plan already started makes that routine saved, so the practices done with it
    stay with it."""
    steps = [OwnStep(s.technique, s.duration, s.side) for s in plan.steps]
    name = name.strip() or free_own_name(person, own_routine_name(plan, purpose))
    if save:
        check_own_name(person, name)
    # Started again, any routine of these steps will do; saved, only one not yet saved.
    same = own_routine_like(person, steps, purpose, saved=False if save else None)
    if same is not None:
        if save:
            same.saved = True
            same.name = name
            same.save(update_fields=["saved", "name"])
        return same
    routine = Routine.objects.create(
        slug=vocab.OWN_SLUG_PREFIX + secrets.token_hex(6),
        name=name,
        summary="",
        purpose=purpose,
        owner=person,
        saved=save,
        created_at=timezone.now(),
    )
    write_own_steps(routine, steps)
    return routine


def own_routine_like(
    person, steps: list[OwnStep], purpose: str, *, saved: bool | None
) -> Routine | None:
    """The person's routine with exactly these steps, if there is one (saved or not, when
    `saved` is None)."""
    candidates = person.own_routines.filter(is_active=True, purpose=purpose)
    if saved is not None:
        candidates = candidates.filter(saved=saved)
    candidates = candidates.order_by("-saved", "pk").prefetch_related("steps__technique")
    for routine in candidates:
        have = [OwnStep(s.technique.slug, s.duration, s.side) for s in routine.steps.all()]
        if have == steps:
            return routine
    return None


def free_own_name(person, name: str) -> str:
    """`name`, or "`name` 2", "`name` 3"... where the person already has a routine so named."""
    taken = {
        n.casefold()
        for n in person.own_routines.filter(
            is_active=True, saved=True, name__istartswith=name
        ).values_list("name", flat=True)
    }
    number = 1
    candidate = name
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{name} {number}"
    return candidate


def check_own_name(person, name: str, *, renaming: Routine | None = None) -> None:
    if not name:
        raise RoutineRefused("Give your routine a name.")
    taken = person.own_routines.filter(is_active=True, saved=True, name__iexact=name)
    if renaming is not None:
        taken = taken.exclude(pk=renaming.pk)
    if taken.exists():
        raise RoutineRefused(f"You already have a routine called “{name}”; choose another name.")


def write_own_steps(routine: Routine, steps: list[OwnStep]) -> None:
    """Replace the routine's steps, each checked against its technique's limits."""
    if not steps:
        raise RoutineRefused("Keep at least one step.")
    if len(steps) > MAX_OWN_STEPS:
        raise RoutineRefused(f"A routine has at most {MAX_OWN_STEPS} steps.")
    slugs = {step.technique for step in steps}
    techniques = Technique.objects.filter(slug__in=slugs, is_active=True).in_bulk(field_name="slug")
    rows = []
    for order, step in enumerate(steps, start=1):
        technique = techniques.get(step.technique)
        if (problem := own_step_problem(step, technique)) is not None:
            raise RoutineRefused(problem)
        rows.append(
            RoutineStep(
                routine=routine,
                order=order,
                technique=technique,
                duration=step.duration,
                side=step.side,
            )
        )
    routine.steps.all().delete()
    RoutineStep.objects.bulk_create(rows)


def own_step_problem(step: OwnStep, technique: Technique | None) -> str | None:
    """What is wrong with a step of a person's routine, or None: its technique must be in
    the library, its length within the technique's limits, its side one the technique has."""
    if technique is None or not technique.is_active:
        return f"There is no technique called {step.technique!r}."
    if not technique.min_duration <= step.duration <= technique.max_duration:
        return (
            f"{technique.name} takes {vocab.duration_text(technique.min_duration)} to "
            f"{vocab.duration_text(technique.max_duration)}."
        )
    if step.side not in vocab.step_sides(technique.sides):
        return f"{technique.name} cannot be done on that side."
    return None


@transaction.atomic
def own_routine_update(*, person, routine: Routine, name: str, steps: list[OwnStep]) -> Routine:
    """Rename the person's routine and set its steps (reordered, fewer, re-timed)."""
    routine = own_routine_locked(person, routine)
    name = name.strip()
    check_own_name(person, name, renaming=routine)
    kept = set(routine.steps.values_list("technique__slug", flat=True))
    if any(step.technique not in kept for step in steps):
        raise RoutineRefused("Only the routine's own steps can be kept; build a new one to add.")
    write_own_steps(routine, steps)
    routine.name = name
    routine.saved = True
    routine.save(update_fields=["name", "saved"])
    return routine


@transaction.atomic
def own_routine_remove(*, person, routine: Routine) -> None:
    """Take the routine out of My routines. Its row stays, hidden, for the practices done
    with it; it is deleted with the account."""
    routine = own_routine_locked(person, routine)
    routine.is_active = False
    routine.saved = False
    routine.save(update_fields=["is_active", "saved"])
    if person.bedtime_routine_id == routine.pk:
        person.bedtime_routine = None
        person.save(update_fields=["bedtime_routine"])


def own_routine_locked(person, routine: Routine) -> Routine:
    found = person.own_routines.select_for_update().filter(pk=routine.pk, is_active=True).first()
    if found is None:
        raise RoutineRefused("That routine is not one of yours.")
    return found


def bedtime_routine_choose(*, person, routine: Routine | None) -> None:
    """The routine "Start tonight's routine" plays for this person; None for the default."""
    if routine is not None:
        allowed = Routine.objects.visible_to(person).filter(
            pk=routine.pk, is_active=True, purpose=BEDTIME
        )
        if not allowed.exists():
            raise RoutineRefused(
                "Only a bedtime routine of the library or of yours can be tonight's."
            )
    person.bedtime_routine = routine
    person.save(update_fields=["bedtime_routine"])
