import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from backcoach.library import vocabulary as vocab

RATING = [MinValueValidator(0), MaxValueValidator(10)]


class Practice(models.Model):
    """One run of a routine by a person: what was planned, what was done, how it felt."""

    class Status(models.TextChoices):
        COMPLETED = "completed", "Completed"
        ABANDONED = "abandoned", "Stopped early"

    class Source(models.TextChoices):
        WEB = "web", "Web player"
        TERMINAL = "terminal", "Terminal player"

    # Made by the device, so that a practice recorded offline and uploaded twice is one row.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practices"
    )
    routine = models.ForeignKey(
        "library.Routine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a routine built for the evening.",
    )
    routine_name = models.CharField(
        "routine", max_length=80, help_text="As it was called when practised."
    )
    started_at = models.DateTimeField("started")
    ended_at = models.DateTimeField("ended")
    status = models.CharField("status", max_length=10, choices=Status.choices)
    source = models.CharField(
        "recorded by", max_length=10, choices=Source.choices, default=Source.WEB
    )
    pain_before = models.PositiveSmallIntegerField(
        "pain before (0-10)", null=True, blank=True, validators=RATING
    )
    tension_before = models.PositiveSmallIntegerField(
        "tension before (0-10)", null=True, blank=True, validators=RATING
    )
    pain_after = models.PositiveSmallIntegerField(
        "pain after (0-10)", null=True, blank=True, validators=RATING
    )
    tension_after = models.PositiveSmallIntegerField(
        "tension after (0-10)", null=True, blank=True, validators=RATING
    )
    note = models.CharField("note", max_length=500, blank=True)
    clock_corrected_seconds = models.IntegerField(
        "clock corrected (s)",
        default=0,
        help_text="Seconds added to the device's times because its clock was wrong when it "
        "sent them (negative: the clock was fast). 0: the times are as the device sent them.",
    )
    recorded_at = models.DateTimeField("uploaded", auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["person", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.routine_name} at {self.started_at:%Y-%m-%d %H:%M}"


class PracticeStep(models.Model):
    """One step of a practice: planned 60 s, done 42 s."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("order")
    technique = models.ForeignKey("library.Technique", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(
        "side", max_length=5, choices=list(vocab.STEP_SIDES.items()), default="both"
    )
    planned_seconds = models.PositiveIntegerField("planned (s)")
    done_seconds = models.PositiveIntegerField("done (s)")

    class Meta:
        ordering = ["practice", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "order"], name="one_practice_step_per_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.technique_id}: {self.done_seconds}/{self.planned_seconds} s"
