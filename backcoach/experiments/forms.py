import datetime as dt

from django import forms

from backcoach.library.models import Routine
from backcoach.number_fields import WholeNumberField
from backcoach.text import PlainTextMixin

from .models import Experiment
from .outcomes import OUTCOMES
from .schedule import MAX_WEEKS, MIN_WEEKS

# What each ready-made question compares by first; the other morning answers come second.
QUESTION_OUTCOMES = {
    Experiment.Question.MASSAGE_SLEEP: "sleep_onset_minutes",
    Experiment.Question.MASSAGE_PAIN: "pain",
}
OUTCOME_CHOICES = [(key, outcome.label) for key, outcome in OUTCOMES.items()]


def bedtime_routines(person):
    """The library's bedtime routines and the person's own saved ones."""
    return (
        Routine.objects.visible_to(person)
        .filter(is_active=True, purpose="bedtime")
        .exclude(owner__isnull=False, saved=False)
        .order_by("-is_default", "name")
    )


class ExperimentForm(PlainTextMixin, forms.Form):
    question = forms.ChoiceField(
        label="Your question",
        choices=Experiment.Question.choices,
        initial=Experiment.Question.MASSAGE_SLEEP,
        widget=forms.RadioSelect,
    )
    routine_a = forms.ModelChoiceField(
        label="Routine A",
        queryset=Routine.objects.none(),
        required=False,
        empty_label=None,
        to_field_name="slug",
    )
    routine_b = forms.ModelChoiceField(
        label="Routine B",
        queryset=Routine.objects.none(),
        required=False,
        empty_label=None,
        to_field_name="slug",
    )
    outcome = forms.ChoiceField(
        label="Compare them by",
        choices=OUTCOME_CHOICES,
        initial="pain",
        widget=forms.RadioSelect,
        required=False,
        help_text="The morning answer that counts most. The others are shown too.",
    )
    weeks = WholeNumberField(
        label="How many weeks",
        min_value=MIN_WEEKS,
        max_value=MAX_WEEKS,
        initial=4,
        help_text=f"{MIN_WEEKS} to {MAX_WEEKS}. Four weeks gives 14 nights of each; "
        "fewer nights give a vaguer answer.",
    )
    start = forms.ChoiceField(
        label="First night",
        choices=[("tonight", "Tonight"), ("tomorrow", "Tomorrow night")],
        initial="tonight",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, today: dt.date, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        routines = bedtime_routines(person)
        self.fields["routine_a"].queryset = routines
        self.fields["routine_b"].queryset = routines
        self.default_routine = next((r for r in routines if r.is_default), None)

    def clean(self):
        cleaned = super().clean()
        question = cleaned.get("question")
        if question in QUESTION_OUTCOMES:
            if self.default_routine is None:
                raise forms.ValidationError("The bedtime massage is not in the library yet.")
            cleaned["routine_a"], cleaned["routine_b"] = self.default_routine, None
            cleaned["outcome"] = QUESTION_OUTCOMES[question]
        elif question == Experiment.Question.TWO_ROUTINES:
            a, b = cleaned.get("routine_a"), cleaned.get("routine_b")
            if a is None or b is None:
                raise forms.ValidationError("Choose routine A and routine B.")
            if a == b:
                self.add_error("routine_b", "Choose a routine other than routine A.")
            cleaned["outcome"] = cleaned.get("outcome") or "pain"
        if "outcome" in cleaned:
            cleaned["secondary_outcomes"] = [k for k in OUTCOMES if k != cleaned["outcome"]]
        if "start" in cleaned:
            days = 0 if cleaned["start"] == "tonight" else 1
            cleaned["first_night"] = self.today + dt.timedelta(days=days)
        return cleaned
