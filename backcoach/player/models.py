import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from backcoach.library import vocabulary as vocab
from backcoach.text import control_character_in, control_character_message

RATING = [MinValueValidator(0), MaxValueValidator(10)]
MAX_STEPS = 100
MAX_SKIPPED_CUES = 200
MAX_CUE_WORDS = 500  # characters of a skipped cue kept (a cue joined with a caution is long)


def validate_skipped_cues(value) -> None:
    """A practice's skipped cues: a list of {"step": its order (1..), "at": the cue's
    moment in the step (s), "say": its words}, each once, in time order."""
    if not isinstance(value, list) or len(value) > MAX_SKIPPED_CUES:
        raise ValidationError(f"Skipped cues must be a list of at most {MAX_SKIPPED_CUES}.")
    moments = []
    for number, cue in enumerate(value, start=1):
        where = f"Skipped cue {number}"
        if not isinstance(cue, dict) or set(cue) != {"step", "at", "say"}:
            raise ValidationError(f"{where} must have a step, an at and a say, and nothing else.")
        step, at, say = cue["step"], cue["at"], cue["say"]
        if type(step) is not int or not 1 <= step <= MAX_STEPS:
            raise ValidationError(f"{where}: step must be a step number from 1 to {MAX_STEPS}.")
        if type(at) is not int or not 0 <= at < 3600:
            raise ValidationError(f"{where}: at must be whole seconds from 0 to 3599.")
        if not isinstance(say, str) or not 1 <= len(say.strip()) <= len(say) <= MAX_CUE_WORDS:
            raise ValidationError(f"{where}: say must be the cue's words (1 to 500 characters).")
        if (character := control_character_in(say)) is not None:
            raise ValidationError(f"{where}: {control_character_message(character)}")
        moments.append((step, at))
    if moments != sorted(set(moments)):
        raise ValidationError("Skipped cues must be in order, each once.")


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
    # The id the device sent, when it was already another person's practice (device_ids.py).
    client_id = models.UUIDField("id sent", null=True, blank=True, editable=False)
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
    skipped_cues = models.JSONField(
        "cues skipped",
        default=list,
        blank=True,
        validators=[validate_skipped_cues],
        help_text="Cues the player passed over unsaid because it was held up (a phone that "
        'slept): [{"step": 2, "at": 30, "say": "Breathe out."}], the step by its order.',
    )
    recorded_at = models.DateTimeField("uploaded", auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["person", "-started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "client_id"],
                condition=Q(client_id__isnull=False),
                name="one_practice_per_id_sent",
            )
        ]

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
