from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from . import services, throttling
from .forms import (
    CappedPasswordResetForm,
    DeleteAccountForm,
    LoginForm,
    PlainPasswordChangeForm,
    PlainSetPasswordForm,
    SettingsForm,
    SignupConfirmForm,
    SignupForm,
)
from .models import Person


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = services.person_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            time_zone=form.cleaned_data["time_zone"],
            bedtime=form.cleaned_data["bedtime"],
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
        if person is None:
            return redirect("accounts:signup_sent")
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to backcoach. Your account is ready.")
        return redirect("safety:screen")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request, uidb64: str, token: str):
    """The link from the sign-up e-mail. Opening it is not enough: the password chosen
    at sign-up must be given too, so that a stranger who signed up with someone else's
    address cannot have the owner confirm the stranger's password by a click."""
    person = _person_from_link(uidb64, token)
    if person is None:
        return render(request, "accounts/signup_confirm.html", {"validlink": False})
    form = SignupConfirmForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        services.person_signup_confirm(person=person)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to backcoach. Your account is ready.")
        return redirect("safety:screen")
    return render(
        request, "accounts/signup_confirm.html", {"validlink": True, "form": form, "person": person}
    )


def _person_from_link(uidb64: str, token: str) -> Person | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    person = Person.objects.filter(pk=pk, is_active=False, last_login__isnull=True).first()
    if person is None or not services.signup_tokens.check_token(person, token):
        return None
    return person


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        if form.new_email != request.user.email:
            services.email_change_request(
                person=request.user,
                email=form.new_email,
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
            messages.info(
                request,
                f"To log in with {form.new_email} from now on, open the link we sent there. "
                f"Until then your address stays {request.user.email}.",
            )
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_confirm(request, email_token):
    """The link sent to a new address: shown first, changed by the button (a GET, say a
    mail client's link preview, changes nothing)."""
    try:
        email = services.email_change_read(person=request.user, token=email_token)
        if request.method == "POST":
            services.email_change_confirm(person=request.user, token=email_token)
            messages.success(request, f"Your e-mail address is now {email}.")
            return redirect("accounts:settings")
    except services.EmailChangeRefused as refused:
        return render(request, "accounts/email_confirm.html", {"error": str(refused)}, status=400)
    return render(request, "accounts/email_confirm.html", {"email": email})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None, person=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.person_delete(person=request.user)
        logout(request)
        messages.success(request, "Your account and all your data are deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PlainPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = CappedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The e-mailed link logs the owner in as it sets the new password: no log-in form, and
    so no limit that a stranger's wrong passwords could hold against them, stands between
    the owner and their account."""

    form_class = PlainSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        """The e-mailed link proves the owner: it lifts every log-in limit on the account."""
        response = super().form_valid(form)
        throttling.logins_unlocked(form.user.email)
        return response
