from django import forms

from backcoach.number_fields import WholeNumberField
from backcoach.text import PlainTextMixin

from .content import red_flag_groups
from .contraindications import CONTRAINDICATIONS


class ScreenForm(forms.Form):
    """One yes/no tick per red flag, grouped; ticking none means none apply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group in red_flag_groups():
            for flag in group.flags:
                self.fields[flag.key] = forms.BooleanField(label=flag.question, required=False)

    def grouped(self):
        return [(group, [self[flag.key] for flag in group.flags]) for group in red_flag_groups()]

    def answers(self) -> dict[str, bool]:
        return {key: bool(value) for key, value in self.cleaned_data.items()}


class AssessedForm(forms.Form):
    confirm = forms.BooleanField(
        label="A doctor or other clinician has assessed me since I answered these questions, "
        "and said I may do gentle self-care."
    )


class ConditionsForm(forms.Form):
    conditions = forms.MultipleChoiceField(
        label="Do any of these apply to you now?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(CONTRAINDICATIONS.items()),
        help_text="backcoach leaves out the techniques these rule out, and the player speaks "
        "a caution where one needs care.",
    )


class FlareUpForm(PlainTextMixin, forms.Form):
    pain = WholeNumberField(
        label="Your pain right now, 0 (none) to 10 (worst)", min_value=0, max_value=10
    )
    note = forms.CharField(
        label="Anything to note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
