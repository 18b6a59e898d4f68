import datetime as dt

from django import forms
from django.utils import timezone

from backcoach import nights
from backcoach.number_fields import DecimalNumberField
from backcoach.safety import selectors as safety
from backcoach.text import PlainTextMixin

from . import measures, rules
from .models import ANSWERS, Checkin

SCALE = [(n, str(n)) for n in range(11)]
SLEEP_ONSET = [
    (5, "5 min or less"),
    (15, "About 15 min"),
    (30, "About 30 min"),
    (45, "About 45 min"),
    (60, "About an hour"),
    (90, "1½ hours"),
    (120, "2 hours or more"),
]
STIFFNESS = [
    (0, "None"),
    (5, "A few minutes"),
    (30, "Up to half an hour"),
    (60, "Up to an hour"),
    (120, "Longer"),
]


class Scale(forms.RadioSelect):
    """0-10 as a row of big buttons."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs={"class": "scale", **(attrs or {})}, **kwargs)


class Choices(forms.RadioSelect):
    """A few answers as big buttons."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs={"class": "choices", **(attrs or {})}, **kwargs)


def scale_field(label: str, *, required: bool = True, help_text: str = "") -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE,
        coerce=int,
        required=required,
        empty_value=None,
        widget=Scale,
        help_text=help_text,
    )


def new_symptom_field() -> forms.Field:
    return forms.BooleanField(
        label="I have a new or worse symptom (for example numbness, weakness, or pain "
        "spreading down a leg)",
        required=False,
        help_text="backcoach will ask its safety questions again.",
    )


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CheckinForm(PlainTextMixin, forms.Form):
    """The answers of one kind of check-in and when they are about; `values()` and
    `recorded_at()` are what the service records."""

    kind: str
    note = forms.CharField(
        label="A note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.today = nights.today(timezone.now(), person.zone)
        if "day" in self.fields:
            self.fields["day"].initial = self.today
            self.fields["day"].widget.attrs.update(
                min=(self.today - dt.timedelta(days=measures.MAX_BACKDATE_DAYS)).isoformat(),
                max=self.today.isoformat(),
            )

    def clean_day(self):
        day = self.cleaned_data["day"]
        now = timezone.now()
        if (problem := rules.moment_problem(self._moment_of(day, now), now=now)) is not None:
            raise forms.ValidationError(problem)
        return day

    def _moment_of(self, day: dt.date, now: dt.datetime) -> dt.datetime:
        now = now.astimezone(self.person.zone)
        if day == now.date():
            return now
        return dt.datetime.combine(day, now.time(), tzinfo=self.person.zone)

    def recorded_at(self) -> dt.datetime:
        """Now, for today; the same time of day on an earlier day."""
        return self._moment_of(self.cleaned_data["day"], timezone.now())

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "day"}


class MorningForm(CheckinForm):
    kind = Checkin.Kind.MORNING
    day = DayField(label="This morning is", help_text="Filling in a morning you missed? Pick it.")
    pain = scale_field("Your back pain right now, 0 (none) to 10 (worst imaginable)")
    pain_areas = forms.MultipleChoiceField(
        label="Where does it hurt?",
        required=False,
        choices=list(measures.PAIN_AREAS.items()),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )
    leg_below_knee = forms.BooleanField(label="The leg pain goes below the knee", required=False)
    sleep_onset_minutes = forms.TypedChoiceField(
        label=measures.SLEEP_ONSET_QUESTION,
        choices=SLEEP_ONSET,
        coerce=int,
        widget=Choices,
        help_text="From when you tried to sleep.",
    )
    sleep_quality = forms.TypedChoiceField(
        label=measures.SLEEP_QUALITY_QUESTION,
        choices=list(measures.SLEEP_QUALITY.items()),
        coerce=int,
        widget=Choices,
    )
    stiffness_minutes = forms.TypedChoiceField(
        label="How long was your back stiff this morning?",
        choices=STIFFNESS,
        coerce=int,
        widget=Choices,
    )
    routine_feel = forms.ChoiceField(
        label="How did last night's routine feel?",
        required=False,
        choices=list(measures.ROUTINE_FEEL.items()),
        widget=Choices,
    )
    new_symptom = new_symptom_field()
    field_order = [*ANSWERS[Checkin.Kind.MORNING], "day"]

    def __init__(self, *args, practised: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not practised:
            del self.fields["routine_feel"]

    def clean(self):
        cleaned = super().clean()
        areas = set(cleaned.get("pain_areas") or ())
        if cleaned.get("leg_below_knee") and not areas & measures.LEG_AREAS:
            self.add_error("leg_below_knee", "Tick a leg first, or leave this unticked.")
        return cleaned

    def values(self) -> dict:
        values = super().values()
        values["leg_below_knee"] = (
            values["leg_below_knee"] if set(values["pain_areas"]) & measures.LEG_AREAS else None
        )
        values.setdefault("routine_feel", "")
        return values


class AnytimeForm(CheckinForm):
    kind = Checkin.Kind.ANYTIME
    pain = scale_field("Pain now, 0 (none) to 10 (worst imaginable)")
    tension = scale_field("Tension or tightness now, 0 (none) to 10 (worst imaginable)")
    new_symptom = new_symptom_field()
    when = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Now, unless you are noting an earlier moment.",
    )

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when is None:
            return None
        when = timezone.make_aware(when.replace(tzinfo=None), self.person.zone)
        if (problem := rules.moment_problem(when, now=timezone.now())) is not None:
            raise forms.ValidationError(problem)
        return when

    def recorded_at(self) -> dt.datetime:
        return self.cleaned_data["when"] or timezone.now()

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("pain", "tension", "new_symptom", "note")
        }


class WeeklyForm(CheckinForm):
    kind = Checkin.Kind.WEEKLY
    day = DayField(label="This check-in is for", help_text="The last day of the week it covers.")
    peg_pain = scale_field(measures.PEG_QUESTIONS["peg_pain"])
    peg_enjoyment = scale_field(measures.PEG_QUESTIONS["peg_enjoyment"])
    peg_activity = scale_field(measures.PEG_QUESTIONS["peg_activity"])
    fingertip_floor = DecimalNumberField(label="Fingertip-to-floor distance", required=False)
    posture = scale_field(
        "How upright and easy does your posture feel, 0 (very poor) to 10 (very good)?",
        required=False,
        help_text="Your own impression: a subjective rating, not a measurement.",
    )
    field_order = [
        "peg_pain",
        "peg_enjoyment",
        "peg_activity",
        "fingertip_floor",
        "posture",
        "note",
        "day",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.person.length_unit
        self.fields["fingertip_floor"] = DecimalNumberField(
            label=f"Fingertip-to-floor distance ({'inches' if unit == 'in' else 'cm'})",
            required=False,
            min_value=0,
            max_value=measures.in_unit(measures.MAX_FINGERTIP_CM, unit),
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
            help_text="0 if your fingertips reach the floor. Leave empty to skip the test.",
        )
        # Not offered where it is not safe (the service refuses it there too).
        self.fingertip_refusal = safety.fingertip_test_refusal(self.person)
        if self.fingertip_refusal is not None:
            del self.fields["fingertip_floor"]
        self.order_fields(self.field_order)

    def values(self) -> dict:
        values = {
            name: self.cleaned_data[name]
            for name in ("peg_pain", "peg_enjoyment", "peg_activity", "posture", "note")
        }
        if "fingertip_floor" in self.fields:
            distance = self.cleaned_data["fingertip_floor"]
            values["fingertip_floor_cm"] = (
                None
                if distance is None
                else measures.centimetres(distance, self.person.length_unit)
            )
        return values
