import os

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST, require_safe

from backcoach.experiments import selectors as experiments
from backcoach.library.models import Routine
from backcoach.safety import selectors as safety

from . import models, selectors, tasks, timeline
from .audio import store
from .audio.ranges import Unsatisfiable, byte_range

HISTORY_PAGE_SIZE = 30
# Where a safety gate sends the person instead of the routine.
GATE_PAGES = {
    selectors.Refusal.SCREEN: "safety:screen",
    selectors.Refusal.URGENT: "safety:result",
}


def refused(request, playable: selectors.Playable):
    """The page that says why the routine does not play, or None when it plays."""
    refusal = playable.refusal
    if refusal is None:
        return None
    if refusal in GATE_PAGES:
        return redirect(GATE_PAGES[refusal])
    return render(
        request,
        "player/not_for_you.html",
        {
            "routine": playable.routine,
            "refusal": refusal,
            "left_out": playable.left_out,
            "gentle_reason": playable.gate.gentle_reason,
            "gentle_routine": (
                selectors.gentle_routine() if refusal == selectors.Refusal.NOT_GENTLE else None
            ),
        },
    )


@login_required
@require_GET
def tonight(request):
    """Tonight's routine (player.selectors.tonight): the one a running experiment drew
    for tonight (or none), else the person's bedtime routine, or the gentle one while only
    gentle routines may play."""
    stop = safety.routine_gate(request.user).stop
    if stop is not None:
        return redirect(GATE_PAGES[selectors.Refusal(stop.value)])
    found = selectors.tonight(request.user)
    if found.reason == selectors.TonightReason.REST:
        return redirect("experiments:tonight")
    if found.routine is None:
        return redirect("library:index")
    return redirect("player:play", routine=found.routine.slug)


@login_required
@require_GET
def play(request, routine):
    routine = get_object_or_404(
        Routine.objects.visible_to(request.user), slug=routine, is_active=True
    )
    playable = selectors.playable_routine(request.user, routine)
    if (page := refused(request, playable)) is not None:
        return page
    # The audio track plays when it is ready; until then the page asks for it once loaded
    # (a POST, since asking queues work) and plays with the browser's speech.
    track = selectors.playable_track(playable)
    ready = track is not None and track.ready
    script = {
        **playable.script,
        "apiUrl": reverse("api:record_practice"),
        "historyUrl": reverse("player:history"),
        # The server's limits that the web player keeps to, so that it holds no copy of them.
        "limits": {
            "staleCueSeconds": timeline.STALE_CUE_SECONDS,
            "maxSkippedCues": models.MAX_SKIPPED_CUES,
            "maxCueCharacters": models.MAX_CUE_WORDS,
        },
        "trackUrl": reverse("player:track", args=[track.name]) if ready else None,
        "trackRequestUrl": (
            reverse("player:track_request", args=[routine.slug])
            if track is not None and not ready
            else None
        ),
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
    page.object_list = list(page.object_list)
    for practice in page.object_list:
        practice.night = selectors.night_of_practice(request.user, practice)
    return render(request, "player/history.html", {"page": page})


@login_required
@require_POST
def track_request(request, routine):
    """Asks for the audio track of the routine as this person plays it; answers at once."""
    routine = get_object_or_404(
        Routine.objects.visible_to(request.user), slug=routine, is_active=True
    )
    playable = selectors.playable_routine(request.user, routine)
    if playable.refusal == selectors.Refusal.RULED_OUT:
        raise Http404("nothing of this routine is for this person")
    if playable.refusal is not None:
        # The safety gate: the same answer as the player's page, which would not play it.
        refusal = playable.refusal
        return JsonResponse(
            {"status": "refused", "reason": refusal.value, "detail": refusal.label}, status=403
        )
    track = tasks.track_render_request(playable.script)
    if track is None:
        return JsonResponse({"status": "unavailable"})
    if track.ready:
        url = reverse("player:track", args=[track.name])
        return JsonResponse({"status": "ready", "url": url})
    return JsonResponse({"status": "queued"}, status=202)


# The name is a hash of what the track says, so a name's bytes never change. Private: it
# may hold the person's caution cues.
TRACK_CACHE = "private, max-age=31536000, immutable"


@login_required
@require_safe
def track(request, track):
    """A rendered track, whole or the byte range asked for (Safari asks only in ranges)."""
    try:
        file = store.path_for(track).open("rb")
    except FileNotFoundError:
        raise Http404("no such track") from None
    size = os.fstat(file.fileno()).st_size
    etag = f'"{track}"'
    header = request.headers.get("Range")
    if request.headers.get("If-Range", etag) != etag:
        header = None  # asked for a range of another version: the whole file instead
    try:
        wanted = byte_range(header, size)
    except Unsatisfiable:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return track_headers(response, etag)
    if wanted is None:
        # The whole file may travel compressed (an MP3 of mostly silence shrinks to a
        # fifth); GZipMiddleware sets the Content-Length of what it sends.
        response = FileResponse(file, content_type="audio/mpeg")
        response["Content-Length"] = str(size)
        return track_headers(response, etag)
    start, end = wanted
    with file:
        file.seek(start)
        body = file.read(end - start + 1)
    response = HttpResponse(body, status=206, content_type="audio/mpeg")
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    # A range counts the file's own bytes: compressing the slice after it was cut would
    # break that, so GZipMiddleware must leave it alone (it reads the request's header).
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    return track_headers(response, etag)


def track_headers(response, etag):
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = TRACK_CACHE
    return response
