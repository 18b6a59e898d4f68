from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import AssessedForm, ConditionsForm, FlareUpForm, ScreenForm
from .models import Screen


@login_required
@require_http_methods(["GET", "POST"])
def screen(request):
    # Ticking nothing is an answer too: bind the form on every POST, even an empty one.
    form = ScreenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.screen_record(person=request.user, answers=form.answers())
        return redirect("safety:result")
    reason = selectors.screen_reason(request.user)
    return render(request, "safety/screen.html", {"form": form, "reason": reason})


@login_required
@require_GET
def result(request):
    found = selectors.screen_result(request.user)
    if found is None:
        return redirect("safety:screen")
    # Asked once, after the first check: which techniques suit this person. Not while
    # emergency care comes first.
    ask_conditions = not selectors.conditions_answered(request.user) and not (
        found.screen.outcome == Screen.Outcome.URGENT and not found.screen.assessed_at
    )
    return render(
        request,
        "safety/result.html",
        {
            "screen": found.screen,
            "groups": found.groups,
            "form": AssessedForm(),
            "conditions_form": ConditionsForm() if ask_conditions else None,
        },
    )


@login_required
@require_POST
def assessed(request):
    found = selectors.screen_result(request.user)
    if found is None or found.screen.outcome != Screen.Outcome.URGENT:
        return redirect("safety:result")
    form = AssessedForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "safety/result.html",
            {"screen": found.screen, "groups": found.groups, "form": form},
            status=400,
        )
    services.screen_confirm_assessed(screen=found.screen)
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
        initial={"conditions": sorted(selectors.conditions_of(request.user))},
    )
    if request.method == "POST" and "none" in request.POST:
        # "None of these": one tap, whatever was ticked before.
        form = ConditionsForm({"conditions": []})
    if request.method == "POST" and form.is_valid():
        keys = form.cleaned_data["conditions"]
        services.conditions_save(person=request.user, keys=keys)
        messages.success(
            request,
            "Your health conditions are saved."
            if keys
            else "Noted: none of these. You can change it any time.",
        )
        if request.POST.get("next") == "result":
            return redirect("safety:result")
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
    until = selectors.flare_up_until(active) if active else None
    return render(request, "safety/flare_up.html", {"form": form, "active": active, "until": until})


@require_GET
def evidence(request):
    return render(request, "safety/evidence.html", {"items": selectors.evidence_items()})
