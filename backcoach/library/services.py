"""Loading the content files into the database, and telling when the two differ."""

import dataclasses
from dataclasses import dataclass

from django.db import transaction

from backcoach.safety import services as safety_services
from backcoach.safety.content import Source as SourceContent
from backcoach.safety.models import Source

from . import content
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
    for row in Routine.objects.filter(is_active=True).prefetch_related("steps__technique"):
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

    Routine.objects.filter(is_default=True).update(is_default=False)
    kept = []
    for item in library.routines:
        routine, _ = Routine.objects.update_or_create(
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
    Routine.objects.exclude(slug__in=kept).update(is_active=False, is_default=False)
