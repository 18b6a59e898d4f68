import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from backcoach import numbers

from . import measures, rules

RATING = [MinValueValidator(0), MaxValueValidator(10)]
MINUTES = [MinValueValidator(0), MaxValueValidator(measures.MAX_MINUTES)]


class FiniteFloatField(models.FloatField):
    """A FloatField that holds finite numbers only. The rules (diary.rules) refuse NaN and
    infinity before a row is written; this is the last guard. A value stored before them
    (PostgreSQL keeps NaN, SQLite keeps infinity) reads as empty, so that no chart, report,
    list or export breaks on one stored number (and a data migration sets them to NULL)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is not None and numbers.finite_or_none(value) is None:
            raise ValueError(f"{self.name}: {value} is not a finite number")
        return value

    def from_db_value(self, value, expression, connection):
        return numbers.finite_or_none(value)


def rating(label: str, **options):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=RATING, **options
    )


class Checkin(models.Model):
    """A diary entry: in the morning (last night's sleep, pain now), any time (pain,
    tension, a note) or weekly (PEG-3, fingertip-to-floor, posture). One table, so that
    charts and exports read one place; each kind fills its own fields."""

    class Kind(models.TextChoices):
        MORNING = "morning", "Morning check-in"
        ANYTIME = "anytime", "Pain and tension"
        WEEKLY = "weekly", "Weekly check-in"

    # Made by the device when the check-in is made offline: sending it twice is one row.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The id the device sent, when it was already another person's checkin (device_ids.py).
    client_id = models.UUIDField("id sent", null=True, blank=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    kind = models.CharField("kind", max_length=8, choices=Kind.choices)
    recorded_at = models.DateTimeField(
        "about", help_text="The moment the answers describe; up to 14 days back."
    )
    night = models.DateField(
        "night of",
        null=True,
        blank=True,
        help_text="Morning check-ins: the evening the night began, in the person's zone.",
    )
    pain = rating("pain (0-10)")
    pain_areas = models.JSONField("where it hurts", default=list, blank=True)
    leg_below_knee = models.BooleanField("leg pain below the knee", null=True, blank=True)
    sleep_onset_minutes = models.PositiveSmallIntegerField(
        "minutes to fall asleep", null=True, blank=True, validators=MINUTES
    )
    sleep_quality = models.PositiveSmallIntegerField(
        "sleep quality (1-5)",
        null=True,
        blank=True,
        choices=list(measures.SLEEP_QUALITY.items()),
    )
    stiffness_minutes = models.PositiveSmallIntegerField(
        "morning stiffness (minutes; 0 for none)", null=True, blank=True, validators=MINUTES
    )
    routine_feel = models.CharField(
        "how last night's routine felt",
        max_length=14,
        blank=True,
        choices=list(measures.ROUTINE_FEEL.items()),
    )
    new_symptom = models.BooleanField(
        "a new or worse symptom", default=False, help_text="Asks the safety check again."
    )
    tension = rating("tension (0-10)")
    note = models.CharField("note", max_length=500, blank=True)
    peg_pain = rating("PEG: average pain in the past week")
    peg_enjoyment = rating("PEG: interference with enjoyment of life")
    peg_activity = rating("PEG: interference with general activity")
    fingertip_floor_cm = FiniteFloatField(
        "fingertip-to-floor (cm)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(measures.MAX_FINGERTIP_CM)],
    )
    posture = rating("posture, as you rate it (0-10)")
    clock_corrected_seconds = models.IntegerField(
        "clock corrected (s)",
        default=0,
        help_text="Seconds added to the moment the device sent because its clock was wrong "
        "(negative: the clock was fast). 0: as the device or the form sent it.",
    )
    created_at = models.DateTimeField("made", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    class Meta:
        ordering = ["-recorded_at"]
        # Lists go newest first (ties by id) across kinds, or within one kind.
        indexes = [
            models.Index(fields=["person", "-recorded_at", "-id"]),
            models.Index(fields=["person", "kind", "-recorded_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "client_id"],
                condition=Q(client_id__isnull=False),
                name="one_checkin_per_id_sent",
            ),
            models.UniqueConstraint(
                fields=["person", "night"],
                condition=Q(kind="morning"),
                name="one_morning_checkin_per_night",
            ),
            models.CheckConstraint(
                condition=Q(kind="morning", night__isnull=False)
                | (~Q(kind="morning") & Q(night__isnull=True)),
                name="a_night_for_morning_checkins_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.recorded_at:%Y-%m-%d}"

    @property
    def peg_score(self) -> float | None:
        return measures.peg_score(self.peg_pain, self.peg_enjoyment, self.peg_activity)


# Which answers each kind of check-in holds; the rest stay empty (diary.rules).
ANSWERS = {Checkin.Kind(kind): names for kind, names in rules.ANSWERS.items()}


class CheckinRevision(models.Model):
    """What a check-in said before an edit: nothing a person wrote is silently overwritten."""

    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="revisions")
    values = models.JSONField("the answers before the edit")
    replaced_at = models.DateTimeField("replaced", auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"earlier answers of {self.checkin_id}"
