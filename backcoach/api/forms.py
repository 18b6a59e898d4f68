from django import forms

from backcoach.text import PlainTextMixin

from .models import DEFAULT_LIFETIME, LIFETIMES, AccessToken


class TokenForm(PlainTextMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=80, help_text='What it is for, for example "export script".'
    )
    scope = forms.ChoiceField(
        label="It may",
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    lifetime = forms.ChoiceField(
        label="It works for",
        choices=[(key, label) for key, (label, _) in LIFETIMES.items()],
        initial=DEFAULT_LIFETIME,
        widget=forms.RadioSelect,
        help_text="After that it is refused, as a revoked one is. Make a new one when it ends.",
    )
