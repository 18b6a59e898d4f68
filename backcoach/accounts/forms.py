from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from backcoach.text import PlainTextMixin

from . import throttling
from .models import Person, available_time_zones, normalize_email


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_time_zones())]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class SignupForm(PlainTextMixin, BaseUserCreationForm):
    field_order = ("email", "password1", "password2", "time_zone", "bedtime")
    time_zone = forms.TypedChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        help_text="We guessed it from your device; change it if it is wrong.",
    )

    class Meta:
        model = Person
        fields = ("email", "time_zone", "bedtime")
        widgets = {"bedtime": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", autofocus=True)
        self.fields["password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password1"].help_text = (
            "At least 10 characters; not a common password, not only numbers, "
            "and not like your e-mail address."
        )
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"
        self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = "true"

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def validate_unique(self):
        """Not here: saying "this address is taken" would tell anyone who has an account.
        The sign-up service answers a taken address by e-mail instead."""


class PersonPasswordForm(PlainTextMixin, forms.Form):
    """Asks for the person's own password, to be sure it is them."""

    mismatch_message = "That is not your password."
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(self.mismatch_message)
        return password


class SignupConfirmForm(PersonPasswordForm):
    mismatch_message = (
        "That is not the password this sign-up was made with. If you signed up more "
        "than once, use the newest e-mail and the password you chose last."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = "The one you chose when you signed up."
        self.fields["password"].widget.attrs["autofocus"] = True


class LoginForm(PlainTextMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an account.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )

    def clean(self):
        """Past the account's failure limit, wait before the password is even checked."""
        email = self.cleaned_data.get("username")
        if email:
            wait = throttling.account_wait(email)
            if wait is not None:
                minutes = max(1, round(wait.total_seconds() / 60))
                raise forms.ValidationError(
                    f"Too many failed log-ins for this account. Try again in {minutes} "
                    f"minute{'s' if minutes != 1 else ''}, or reset your password by e-mail: "
                    "that works at once.",
                    code="account_wait",
                )
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if email and getattr(exc, "code", None) == "invalid_login":
                throttling.account_failed(email)
            raise
        if email:
            throttling.account_cleared(email)
        return cleaned


class CappedPasswordResetForm(PlainTextMixin, PasswordResetForm):
    """Sends at most a few reset e-mails to one address an hour; the page says the same
    whether one was sent or not, so it tells nobody whether an address has an account."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        if throttling.account_email_allowed(to_email):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class SettingsForm(PlainTextMixin, forms.ModelForm):
    """A new e-mail address is not saved here: the view sends it a link to confirm it
    (services.email_change_request), and the form keeps the address it had."""

    time_zone = forms.TypedChoiceField(label="Time zone", choices=time_zone_choices)

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def _post_clean(self):
        self.new_email = self.cleaned_data.get("email")
        if self.new_email is not None:
            self.cleaned_data["email"] = self.instance.email
        super()._post_clean()

    class Meta:
        model = Person
        fields = ("name", "email", "time_zone", "bedtime", "theme", "length_unit")
        widgets = {"bedtime": TimeInput()}


class DeleteAccountForm(PersonPasswordForm):
    mismatch_message = "That is not your password. Nothing was deleted."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = "To be sure it is you."


class PlainPasswordChangeForm(PlainTextMixin, PasswordChangeForm):
    """A password with a control character could never be typed into the log-in form
    (which refuses them), so it is refused here, where it would be set."""


class PlainSetPasswordForm(PlainTextMixin, SetPasswordForm):
    """As PlainPasswordChangeForm, for the password-reset link."""
