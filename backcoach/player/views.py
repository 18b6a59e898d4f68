from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from backcoach.library.models import Routine
from backcoach.safety import selectors

from .playback import routine_script
from .selectors import steps_for, tonight_routine


def gate(request):
    """Where to go instead of a routine, when the safety screen says so."""
    reason = selectors.routine_gate(request.user)
    if reason == "screen":
        return redirect("safety:screen")
    if reason == "urgent":
        return redirect("safety:result")
    return None


@login_required
@require_GET
def tonight(request):
    """Tonight's routine: the default bedtime massage, or the gentle one in a flare-up."""
    if (stop := gate(request)) is not None:
        return stop
    routine = tonight_routine(request.user)
    if routine is None:
        return redirect("library:index")
    return redirect("player:play", routine=routine.slug)


@login_required
@require_GET
def play(request, routine):
    if (stop := gate(request)) is not None:
        return stop
    routine = get_object_or_404(Routine, slug=routine, is_active=True)
    steps, left_out = steps_for(request.user, routine)
    if not steps:
        return render(
            request, "player/not_for_you.html", {"routine": routine, "left_out": left_out}
        )
    script = routine_script(routine=routine, steps=steps, person=request.user)
    script["apiUrl"] = reverse("api:record_practice")
    script["historyUrl"] = reverse("player:history")
    return render(
        request,
        "player/play.html",
        {
            "routine": routine,
            "steps": steps,
            "script": script,
            "total": sum(step.duration for step in steps),
            "scale": range(11),
            "left_out": left_out,
        },
    )


@login_required
@require_GET
def history(request):
    practices = request.user.practices.select_related("routine").prefetch_related("steps")[:200]
    return render(request, "player/history.html", {"practices": practices})
