from django import forms

from backcoach.text import PlainTextMixin

from .importer import DATE_FORMATS


class UploadForm(forms.Form):
    file = forms.FileField(
        label="The file",
        help_text="A backcoach export (the ZIP, or the backcoach.json or checkins.csv in it, "
        "not its fhir.json), or a CSV file of dated pain ratings from another app or a "
        "spreadsheet.",
    )
    dry_run = forms.BooleanField(
        label="Only check it; import nothing yet", required=False, initial=False
    )


class MappingForm(PlainTextMixin, forms.Form):
    """Which column of a plain CSV holds what."""

    date = forms.ChoiceField(label="The date is in")
    date_format = forms.ChoiceField(
        label="Dates are written", choices=[(f, f) for f in DATE_FORMATS], initial="YYYY-MM-DD"
    )
    pain = forms.ChoiceField(label="The pain rating (0-10) is in")
    time = forms.ChoiceField(label="The time of day (HH:MM) is in", required=False)
    note = forms.ChoiceField(label="A note is in", required=False)

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        columns = [(name, name) for name in header]
        none = [("", "(none)")]
        self.fields["date"].choices = columns
        self.fields["pain"].choices = columns
        self.fields["time"].choices = none + columns
        self.fields["note"].choices = none + columns
        lower = {name.lower(): name for name in header}
        for role, guesses in (
            ("date", ("date", "day")),
            ("pain", ("pain", "score")),
            ("note", ("note", "comment")),
        ):
            for guess in guesses:
                found = next((name for low, name in lower.items() if guess in low), None)
                if found:
                    self.fields[role].initial = found
                    break
