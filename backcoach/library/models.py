from django.conf import settings
from django.db import models
from django.urls import reverse

from . import vocabulary as vocab


def choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


class Technique(models.Model):
    """One move: a self-massage or a stretch, with how to do it and when not to."""

    slug = models.SlugField("slug", max_length=80, unique=True)
    name = models.CharField("name", max_length=80)
    summary = models.CharField("summary", max_length=240)
    kind = models.CharField("kind", max_length=12, choices=choices(vocab.KINDS))
    body_areas = models.JSONField(
        "body areas", default=list, help_text=f"Any of: {', '.join(vocab.BODY_AREAS)}."
    )
    position = models.CharField("position", max_length=20, choices=choices(vocab.POSITIONS))
    equipment = models.JSONField(
        "equipment", default=list, help_text=f"Any of: {', '.join(vocab.EQUIPMENT)}."
    )
    bed_friendly = models.BooleanField("can be done in bed", default=False)
    intensity = models.CharField("intensity", max_length=10, choices=choices(vocab.INTENSITIES))
    intensity_guidance = models.TextField("how hard", max_length=400)
    default_duration = models.PositiveIntegerField("default duration (s)")
    min_duration = models.PositiveIntegerField("shortest duration (s)")
    max_duration = models.PositiveIntegerField("longest duration (s)")
    sides = models.CharField("sides", max_length=5, choices=choices(vocab.SIDES))
    instructions = models.JSONField("instruction steps", default=list)
    cues = models.JSONField(
        "spoken cues", default=list, help_text='A list of {"at": seconds, "say": text}.'
    )
    excludes = models.JSONField(
        "excluded for",
        default=list,
        blank=True,
        help_text="Contraindication keys that rule this technique out.",
    )
    cautions = models.JSONField(
        "caution for",
        default=list,
        blank=True,
        help_text='A list of {"key": condition, "say": spoken caution}.',
    )
    evidence_note = models.TextField("evidence note")
    sources = models.ManyToManyField("safety.Source", related_name="techniques", blank=True)
    pose = models.JSONField("pose", default=dict, help_text="Drawn as the technique's picture.")
    is_active = models.BooleanField(
        "in the library",
        default=True,
        help_text="Techniques removed from the content files stay for history, hidden.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:technique", kwargs={"technique": self.slug})

    def body_area_labels(self) -> list[str]:
        return [vocab.BODY_AREAS.get(area, area) for area in self.body_areas]

    def equipment_labels(self) -> list[str]:
        return [vocab.EQUIPMENT.get(item, item) for item in self.equipment]

    def exclude_labels(self) -> list[str]:
        return [vocab.CONTRAINDICATIONS.get(key, key) for key in self.excludes]

    def caution_items(self) -> list[dict]:
        return [
            {"label": vocab.CONTRAINDICATIONS.get(c["key"], c["key"]), **c} for c in self.cautions
        ]


class RoutineQuerySet(models.QuerySet):
    def library(self):
        """The routines of the content files (and the admin): everyone's."""
        return self.filter(owner__isnull=True)

    def visible_to(self, person):
        """The library's routines and, for a person logged in, their own."""
        if person is None or not person.is_authenticated:
            return self.library()
        return self.filter(models.Q(owner__isnull=True) | models.Q(owner=person))


class Routine(models.Model):
    """An ordered list of steps, each a technique with a duration and a side.

    Most come from the content files, for everyone. A person's own (from the builder) have
    an owner: only that person sees them, and only those saved are in "My routines".
    """

    slug = models.SlugField("slug", max_length=80, unique=True)
    name = models.CharField("name", max_length=80)
    summary = models.CharField("summary", max_length=300, blank=True)
    purpose = models.CharField(
        "when",
        max_length=12,
        choices=choices(vocab.PURPOSES),
    )
    is_default = models.BooleanField("the default routine", default=False)
    is_active = models.BooleanField("in the library", default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_routines",
        help_text="Empty for the library's routines; the person who built it otherwise.",
    )
    saved = models.BooleanField(
        "in My routines",
        default=False,
        help_text="A built routine that was only started is kept for its practices, unlisted.",
    )
    created_at = models.DateTimeField("created", null=True, blank=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_routine",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:routine", kwargs={"routine": self.slug})

    @property
    def is_own(self) -> bool:
        return self.owner_id is not None

    @property
    def total_seconds(self) -> int:
        return sum(step.duration for step in self.steps.all())


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("order")
    technique = models.ForeignKey(Technique, on_delete=models.PROTECT, related_name="+")
    duration = models.PositiveIntegerField("duration (s)")
    side = models.CharField("side", max_length=5, choices=choices(vocab.STEP_SIDES), default="both")

    class Meta:
        ordering = ["routine", "order"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "order"], name="one_step_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.routine}: {self.order}. {self.technique} ({self.duration} s)"


class LibraryState(models.Model):
    """What was last loaded from the content files, to tell when files and database differ."""

    files_checksum = models.CharField(max_length=64)
    database_checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "library state"

    def __str__(self) -> str:
        return f"loaded {self.loaded_at:%Y-%m-%d %H:%M}"
