from django import forms

from backcoach.text import PlainTextMixin

from .models import AccessToken


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
