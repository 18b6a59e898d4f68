from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Source(models.Model):
    """A guideline, review or study that an evidence note cites. Loaded from
    safety/content/sources.yaml with the library (`backcoach library load`)."""

    key = models.SlugField("key", max_length=80, unique=True)
    citation = models.TextField("citation")
    url = models.URLField("address", max_length=500)
    identifier = models.CharField(
        "identifier", max_length=120, blank=True, help_text="DOI, PubMed id or guideline number."
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class HealthConditions(models.Model):
    """The health conditions a person said apply to them: contraindication keys that rule
    techniques out or call for care with them. One row per person, created on first save."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_conditions"
    )
    keys = models.JSONField(
        "conditions",
        default=list,
        blank=True,
        help_text="Keys from backcoach/safety/contraindications.py.",
    )
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        verbose_name = "health conditions"
        verbose_name_plural = "health conditions"

    def __str__(self) -> str:
        return ", ".join(self.keys) or "none"


class Screen(models.Model):
    """One answering of the red-flag questions, with its outcome. Never edited: a new
    answering is a new screen, so the history of what was said, and when, is kept."""

    class Outcome(models.TextChoices):
        URGENT = "urgent", "Seek urgent care now"
        SOON = "soon", "See a clinician soon"
        NONE = "none", "No warning signs"

    class Reason(models.TextChoices):
        SIGNUP = "signup", "Before the first routine"
        PAIN_RISE = "pain-rise", "Pain rose sharply"
        SYMPTOM = "symptom", "A new symptom"
        CHECK = "check", "Checked again"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screens"
    )
    answered_at = models.DateTimeField("answered", default=timezone.now)
    answers = models.JSONField("answers", default=dict, help_text="Flag key: yes or no.")
    outcome = models.CharField("outcome", max_length=8, choices=Outcome.choices)
    reason = models.CharField("why it was asked", max_length=10, choices=Reason.choices)
    assessed_at = models.DateTimeField(
        "assessed",
        null=True,
        blank=True,
        help_text="When the person confirmed a clinician had assessed them (urgent only).",
    )

    class Meta:
        ordering = ["-answered_at"]
        get_latest_by = "answered_at"

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.answered_at:%Y-%m-%d})"


class FlareUp(models.Model):
    """A flare-up the person logged: for a few days, only the gentlest routines."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flare_ups"
    )
    started_at = models.DateTimeField("started", default=timezone.now)
    pain = models.PositiveSmallIntegerField(
        "pain (0-10)", validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    note = models.CharField("note", max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"flare-up on {self.started_at:%Y-%m-%d}, pain {self.pain}"
