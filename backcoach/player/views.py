from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from backcoach.experiments import selectors as experiments
from backcoach.library.models import Routine
from backcoach.safety import selectors as safety

from . import selectors

HISTORY_PAGE_SIZE = 30
# Where a safety gate sends the person instead of the routine.
GATE_PAGES = {safety.Gate.SCREEN: "safety:screen", safety.Gate.URGENT: "safety:result"}


def gate(request):
    """A redirect away from the routine when the safety screen says so, else None."""
    reason = safety.routine_gate(request.user)
    return redirect(GATE_PAGES[reason]) if reason is not None else None


@login_required
@require_GET
def tonight(request):
    """Tonight's routine: the one a running experiment drew for tonight (or none), else
    the default bedtime massage, or the gentle one in a flare-up."""
    if (stop := gate(request)) is not None:
        return stop
    experiment = experiments.tonight(request.user)
    if experiment is not None and experiment.routine is None:
        return redirect("experiments:tonight")
    routine = experiment.routine if experiment else selectors.tonight_routine(request.user)
    if routine is None:
        return redirect("library:index")
    return redirect("player:play", routine=routine.slug)


@login_required
@require_GET
def play(request, routine):
    if (stop := gate(request)) is not None:
        return stop
    routine = get_object_or_404(Routine, slug=routine, is_active=True)
    playable = selectors.playable_routine(request.user, routine)
    if not playable.steps:
        return render(
            request, "player/not_for_you.html", {"routine": routine, "left_out": playable.left_out}
        )
    script = {
        **playable.script,
        "apiUrl": reverse("api:record_practice"),
        "historyUrl": reverse("player:history"),
    }
    return render(
        request,
        "player/play.html",
        {
            "routine": routine,
            "steps": playable.steps,
            "script": script,
            "total": playable.total,
            "scale": range(11),
            "left_out": playable.left_out,
            "experiment": experiment_night(request.user, routine),
        },
    )


def experiment_night(person, routine: Routine):
    """Tonight's assignment, when this routine is one that the running experiment tests."""
    tonight = experiments.tonight(person)
    if tonight is None:
        return None
    tested = {tonight.experiment.routine_a_id, tonight.experiment.routine_b_id}
    return tonight if routine.pk in tested else None


@login_required
@require_GET
def history(request):
    """The person's practices, newest first, a page at a time."""
    page = Paginator(selectors.practice_history(request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "player/history.html", {"page": page})
