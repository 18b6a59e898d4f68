from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst

from backcoach.number_fields import WholeNumberField

from .models import CalendarFeed

LEAD = CalendarFeed._meta.get_field("lead_minutes")
# The model's own limits (its validators, and the database column's range), read once.
LEAD_MIN = max(v.limit_value for v in LEAD.validators if isinstance(v, MinValueValidator))
LEAD_MAX = min(v.limit_value for v in LEAD.validators if isinstance(v, MaxValueValidator))


class CalendarFeedForm(forms.Form):
    """The reminder's lead time.

    A plain form rather than a ModelForm: validating a ModelForm writes the sent values into
    its instance, and the page, drawn from that instance, then showed a refused lead time
    as the reminder's."""

    lead_minutes = WholeNumberField(
        label=capfirst(LEAD.verbose_name),
        min_value=LEAD_MIN,
        max_value=LEAD_MAX,
        help_text=f"{LEAD_MIN} to {LEAD_MAX} minutes.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, feed: CalendarFeed | None = None, **kwargs):
        kwargs.setdefault(
            "initial", {"lead_minutes": feed.lead_minutes if feed else LEAD.get_default()}
        )
        super().__init__(*args, **kwargs)
