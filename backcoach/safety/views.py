import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backcoach.library.models import Source

from . import selectors, services
from .forms import AssessedForm, ConditionsForm, FlareUpForm, ScreenForm
from .models import Screen
from .screening import benefits, groups_raised, red_flag_groups


@login_required
@require_http_methods(["GET", "POST"])
def screen(request):
    # Ticking nothing is an answer too: bind the form on every POST, even an empty one.
    form = ScreenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        latest = selectors.latest_screen(request.user)
        if latest is None:
            reason = Screen.Reason.SIGNUP
        elif selectors.routine_gate(request.user) == "screen":
            reason = Screen.Reason.PAIN_RISE
        else:
            reason = Screen.Reason.CHECK
        services.screen_record(person=request.user, answers=form.answers(), reason=reason)
        return redirect("safety:result")
    rising = (
        selectors.latest_screen(request.user) is not None
        and selectors.routine_gate(request.user) == "screen"
    )
    return render(request, "safety/screen.html", {"form": form, "rising": rising})


@login_required
@require_GET
def result(request):
    latest = selectors.latest_screen(request.user)
    if latest is None:
        return redirect("safety:screen")
    return render(
        request,
        "safety/result.html",
        {
            "screen": latest,
            "groups": groups_raised(latest.answers),
            "form": AssessedForm(),
        },
    )


@login_required
@require_POST
def assessed(request):
    latest = selectors.latest_screen(request.user)
    if latest is None or latest.outcome != Screen.Outcome.URGENT:
        return redirect("safety:result")
    form = AssessedForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "safety/result.html",
            {"screen": latest, "groups": groups_raised(latest.answers), "form": form},
            status=400,
        )
    services.screen_confirm_assessed(screen=latest)
    messages.success(
        request,
        "Thank you. Gentle routines are available again; stop if the "
        "signs come back and seek care.",
    )
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def conditions(request):
    form = ConditionsForm(
        request.POST if request.method == "POST" else None,
        initial={"conditions": request.user.conditions},
    )
    if request.method == "POST" and form.is_valid():
        request.user.conditions = sorted(form.cleaned_data["conditions"])
        request.user.save(update_fields=["conditions"])
        messages.success(request, "Your health conditions are saved.")
        return redirect("safety:conditions")
    return render(request, "safety/conditions.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def flare_up(request):
    form = FlareUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.flare_up_record(
            person=request.user, pain=form.cleaned_data["pain"], note=form.cleaned_data["note"]
        )
        messages.success(
            request,
            "Flare-up noted. For the next three days backcoach offers only its gentlest routines.",
        )
        return redirect("safety:flare_up")
    active = selectors.active_flare_up(request.user)
    until = active.started_at + dt.timedelta(days=selectors.FLARE_DAYS) if active else None
    return render(request, "safety/flare_up.html", {"form": form, "active": active, "until": until})


@require_GET
def evidence(request):
    cited = {key for benefit in benefits() for key in benefit.sources}
    cited |= {key for group in red_flag_groups() for key in group.sources}
    sources = {source.key: source for source in Source.objects.filter(key__in=cited)}
    items = [
        (benefit, [sources[key] for key in benefit.sources if key in sources])
        for benefit in benefits()
    ]
    return render(request, "safety/evidence.html", {"items": items})
