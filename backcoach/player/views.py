from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from backcoach.library.models import Routine

from .playback import routine_script


@login_required
@require_GET
def tonight(request):
    """Tonight's routine: the default bedtime massage."""
    routine = Routine.objects.filter(is_active=True, is_default=True).first()
    if routine is None:
        return redirect("library:index")
    return redirect("player:play", routine=routine.slug)


@login_required
@require_GET
def play(request, routine):
    routine = get_object_or_404(Routine, slug=routine, is_active=True)
    steps = list(routine.steps.select_related("technique"))
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
        },
    )


@login_required
@require_GET
def history(request):
    practices = request.user.practices.select_related("routine").prefetch_related("steps")[:200]
    return render(request, "player/history.html", {"practices": practices})
