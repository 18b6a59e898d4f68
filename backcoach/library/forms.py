from django import forms

from backcoach.number_fields import WholeNumberField
from backcoach.text import PlainTextMixin

from . import vocabulary as vocab
from .builder import MAX_MINUTES, MIN_MINUTES, Request
from .services import MAX_OWN_STEPS, OwnStep


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
    minutes = WholeNumberField(
        label="Minutes at most",
        required=False,
        min_value=1,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class BuildForm(forms.Form):
    minutes = WholeNumberField(
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
    pain = WholeNumberField(
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


class UseBuiltForm(PlainTextMixin, forms.Form):
    """What to do with the builder's routine: start it, keep it, or make it tonight's."""

    START, SAVE, BEDTIME = "start", "save", "bedtime"
    action = forms.ChoiceField(
        choices=[(START, "Start"), (SAVE, "Save as my routine"), (BEDTIME, "My bedtime routine")]
    )
    name = forms.CharField(
        label="Name",
        max_length=80,
        required=False,
        help_text="For My routines. Left empty, it is named by its length.",
    )


class OwnRoutineForm(PlainTextMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=80)


class OwnStepForm(forms.Form):
    """One step of a person's routine: how long, where in the order, or left out."""

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        technique = step.technique
        side = "" if step.side == "both" else f", {vocab.STEP_SIDES[step.side].lower()}"
        self.title = f"{technique.name}{side}"
        self.fields["duration"] = WholeNumberField(
            label=f"Seconds of {self.title}",
            min_value=technique.min_duration,
            max_value=technique.max_duration,
            help_text=f"{technique.min_duration} to {technique.max_duration} seconds.",
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )


class BaseOwnStepFormSet(forms.BaseFormSet):
    def __init__(self, *args, steps, **kwargs):
        self.steps = list(steps)
        kwargs.setdefault(
            "initial",
            [{"duration": step.duration, "ORDER": n} for n, step in enumerate(self.steps, 1)],
        )
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        # A form per step, whatever a tampered management form claims.
        return min(super().total_form_count(), len(self.steps))

    def get_form_kwargs(self, index):
        return {"step": self.steps[index]}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        title = f" of {form.title}" if hasattr(form, "title") else ""
        form.fields["ORDER"].label = f"Place{title}"
        form.fields["DELETE"].label = f"Leave out{title}"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.management_form.cleaned_data["TOTAL_FORMS"] != len(self.steps):
            raise forms.ValidationError(
                "The routine changed since this page was opened; look again and retry."
            )
        if not [form for form in self.forms if not self._should_delete_form(form)]:
            raise forms.ValidationError("Keep at least one step.")

    def own_steps(self) -> list[OwnStep]:
        """The steps kept, in the order asked for (ties keep their old order)."""
        return [
            OwnStep(form.step.technique.slug, form.cleaned_data["duration"], form.step.side)
            for form in self.ordered_forms
        ]


def own_step_formset(*, steps, data=None):
    steps = list(steps)
    formset_class = forms.formset_factory(
        OwnStepForm,
        formset=BaseOwnStepFormSet,
        extra=0,
        can_order=True,
        can_delete=True,
        max_num=MAX_OWN_STEPS,
        absolute_max=MAX_OWN_STEPS,
        validate_max=True,
    )
    return formset_class(data, steps=steps, prefix="steps")
