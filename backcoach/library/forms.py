from django import forms

from . import vocabulary as vocab
from .builder import MAX_MINUTES, MIN_MINUTES, Request


def any_of(mapping: dict[str, str], label: str) -> list[tuple[str, str]]:
    return [("", label), *mapping.items()]


class LibraryFilterForm(forms.Form):
    area = forms.ChoiceField(
        label="Body area", required=False, choices=any_of(vocab.BODY_AREAS, "Any area")
    )
    position = forms.ChoiceField(
        label="Position", required=False, choices=any_of(vocab.POSITIONS, "Any position")
    )
    equipment = forms.ChoiceField(
        label="Equipment", required=False, choices=any_of(vocab.EQUIPMENT, "Any equipment")
    )
    minutes = forms.IntegerField(
        label="Minutes at most",
        required=False,
        min_value=1,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class BuildForm(forms.Form):
    minutes = forms.IntegerField(
        label="Minutes you have", min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=5
    )
    in_bed = forms.BooleanField(label="I am in bed", required=False, initial=True)
    equipment = forms.MultipleChoiceField(
        label="Equipment at hand",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, v) for k, v in vocab.EQUIPMENT.items() if k not in vocab.ALWAYS_AVAILABLE],
    )
    focus = forms.MultipleChoiceField(
        label="Where it feels tight",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(vocab.BODY_AREAS.items()),
    )
    avoid_positions = forms.MultipleChoiceField(
        label="Positions to avoid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(vocab.POSITIONS.items()),
    )
    pain = forms.IntegerField(
        label="Pain right now, 0 (none) to 10 (worst)", min_value=0, max_value=10, initial=3
    )
    conditions = forms.MultipleChoiceField(
        label="Any of these apply to you?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(vocab.CONTRAINDICATIONS.items()),
    )

    def builder_request(self) -> Request:
        data = self.cleaned_data
        return Request(
            minutes=data["minutes"],
            in_bed=data["in_bed"],
            pain=data["pain"],
            equipment=frozenset(data["equipment"]),
            focus=frozenset(data["focus"]),
            avoid_positions=frozenset(data["avoid_positions"]),
            conditions=frozenset(data["conditions"]),
        )
