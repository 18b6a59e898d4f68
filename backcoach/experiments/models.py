import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .outcomes import OUTCOMES
from .schedule import MAX_PAIRS, MIN_PAIRS, SEED_LIMIT, Schedule


class Experiment(models.Model):
    """A person's randomised test of one routine against no routine (or another): which
    condition each night gets is fixed by the schedule's seed, made at the start."""

    class Question(models.TextChoices):
        MASSAGE_SLEEP = "massage-sleep", "Does the bedtime massage help me fall asleep faster?"
        MASSAGE_PAIN = "massage-pain", "Does the bedtime massage help me wake with less pain?"
        TWO_ROUTINES = "two-routines", "Which of two bedtime routines is better for me?"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        STOPPED = "stopped", "Stopped early"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments"
    )
    question = models.CharField("question", max_length=20, choices=Question.choices)
    routine_a = models.ForeignKey(
        "library.Routine",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="routine A",
    )
    routine_b = models.ForeignKey(
        "library.Routine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="routine B",
        help_text="Empty: on B nights, no routine; just go to sleep.",
    )
    a_label = models.CharField("condition A", max_length=120, help_text="As the person saw it.")
    b_label = models.CharField("condition B", max_length=120, help_text="As the person saw it.")
    outcome = models.CharField(
        "primary outcome",
        max_length=24,
        choices=[(key, outcome.label) for key, outcome in OUTCOMES.items()],
    )
    secondary_outcomes = models.JSONField("secondary outcomes", default=list, blank=True)
    first_night = models.DateField("first night")
    pairs = models.PositiveSmallIntegerField(
        "pairs of nights",
        validators=[MinValueValidator(MIN_PAIRS), MaxValueValidator(MAX_PAIRS)],
    )
    seed = models.BigIntegerField(
        "seed",
        validators=[MinValueValidator(0), MaxValueValidator(SEED_LIMIT - 1)],
        help_text="Re-makes the schedule: which night got which condition.",
    )
    status = models.CharField(
        "status", max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField("started", auto_now_add=True)
    stopped_at = models.DateTimeField("stopped", null=True, blank=True)
    earlier_starts = models.JSONField(
        "earlier starts",
        default=list,
        blank=True,
        editable=False,
        help_text="The experiments the person stopped in the two weeks before this one "
        "started, each with the draws it had shown (selectors.earlier_starts): a start made "
        "again after seeing a draw is kept in the record, not hidden by it.",
    )
    record = models.JSONField(
        "record, as imported",
        null=True,
        blank=True,
        editable=False,
        help_text="An experiment brought back from an export: its protocol, schedule, nights "
        "and analysis as they were (experiments/record.py), which its page shows; empty for "
        "one run here, whose record is made from the diary each time.",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="running"),
                name="one_running_experiment_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.a_label} or {self.b_label}, from {self.first_night:%Y-%m-%d}"

    @property
    def schedule(self) -> Schedule:
        return Schedule(first_night=self.first_night, pairs=self.pairs, seed=self.seed)

    @property
    def last_night(self) -> dt.date:
        return self.schedule.last_night

    def is_over(self, today: dt.date) -> bool:
        """Whether the last night's morning has come (`today` is the person's present
        evening, selectors.today_of): the schedule is done."""
        return today > self.last_night

    def state(self, today: dt.date) -> str:
        """Running, finished or stopped early. A finished experiment keeps the status
        "running" until the next one starts; this says what it is."""
        if self.status == self.Status.RUNNING and self.is_over(today):
            return self.Status.FINISHED
        return self.status

    def label(self, condition: str) -> str:
        return self.a_label if condition == "A" else self.b_label
