import contextlib
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from backcoach.safety import content as safety_content

from . import figures, measures, selectors, services
from .forms import AnytimeForm, MorningForm, WeeklyForm
from .models import ANSWERS, Checkin

PAGE_SIZE = 30
# Where the questions come from, shown under the forms.
SOURCE_NAMES = {
    "sleep_source_url": measures.SLEEP_SOURCE,
    "peg_source_url": measures.PEG_SOURCE,
    "fingertip_source_url": measures.FINGERTIP_SOURCE,
}


def source_urls() -> dict[str, str]:
    urls = {source.key: source.url for source in safety_content.sources()}
    return {name: urls[key] for name, key in SOURCE_NAMES.items()}


FORMS = {
    Checkin.Kind.MORNING: MorningForm,
    Checkin.Kind.ANYTIME: AnytimeForm,
    Checkin.Kind.WEEKLY: WeeklyForm,
}
SAVED = {
    Checkin.Kind.MORNING: "Morning check-in saved. Have a good day.",
    Checkin.Kind.ANYTIME: "Noted.",
    Checkin.Kind.WEEKLY: "Weekly check-in saved.",
}


@login_required
@require_GET
def index(request):
    page = Paginator(selectors.checkins_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "diary/index.html", {"page": page})


def form_for(request, kind, *, data=None, night: dt.date | None = None, **options):
    """The form for a kind of check-in. A morning one asks about last night's routine
    only after a night with a practice: `night`, or the night before the day chosen."""
    form_class = FORMS[kind]
    if kind == Checkin.Kind.MORNING:
        if night is None:
            day = selectors.this_morning(request.user)
            if data is not None and data.get("day"):
                # A bad day is reported by the form itself; until then, this morning.
                with contextlib.suppress(forms.ValidationError):
                    day = form_class.base_fields["day"].clean(data["day"])
            night = day - dt.timedelta(days=1)
        options["practised"] = selectors.practised_that_night(request.user, night)
    return form_class(data, person=request.user, **options)


def record(request, kind, template: str, context: dict | None = None):
    """Show the check-in form; on a valid POST record it (a morning one for a night that
    has one already is replaced only once the person confirms)."""
    data = request.POST if request.method == "POST" else None
    form = form_for(request, kind, data=data)
    context = {"form": form, **source_urls(), **(context or {})}
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_record(
                person=request.user,
                kind=kind,
                recorded_at=form.recorded_at(),
                values=form.values(),
                replace=request.POST.get("replace") == "yes",
            )
        except services.CheckinConflict as exc:
            context.update(existing=exc.existing, conflict=str(exc))
            return render(request, template, context, status=409)
        except services.CheckinRejected as exc:
            form.add_error(None, str(exc))
            return render(request, template, context, status=400)
        messages.success(request, SAVED[kind])
        if form.values().get("new_symptom"):
            return redirect("safety:screen")
        return redirect("home")
    return render(request, template, context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def morning(request):
    return record(request, Checkin.Kind.MORNING, "diary/morning.html")


@login_required
@require_http_methods(["GET", "POST"])
def anytime(request):
    return record(request, Checkin.Kind.ANYTIME, "diary/anytime.html")


@login_required
@require_http_methods(["GET", "POST"])
def weekly(request):
    return record(
        request,
        Checkin.Kind.WEEKLY,
        "diary/weekly.html",
        {"figure": figures.fingertip_floor_figure(), "steps": figures.FINGERTIP_FLOOR_STEPS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, checkin):
    checkin = get_object_or_404(request.user.checkins, pk=checkin)
    data = request.POST if request.method == "POST" else None
    form = form_for(
        request,
        checkin.kind,
        data=data,
        night=checkin.night,
        initial=initial_for(request.user, checkin),
    )
    if checkin.kind == Checkin.Kind.MORNING:
        form.fields["day"].disabled = True
    context = {"form": form, "checkin": checkin}
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_edit(
                checkin=checkin,
                values=form.values(),
                recorded_at=None if checkin.kind == Checkin.Kind.MORNING else form.recorded_at(),
            )
        except services.CheckinRejected as exc:
            form.add_error(None, str(exc))
            return render(request, "diary/edit.html", context, status=400)
        messages.success(request, "Changed. The earlier answers are kept in your diary.")
        return redirect("diary:index")
    return render(request, "diary/edit.html", context, status=400 if form.is_bound else 200)


def initial_for(person, checkin: Checkin) -> dict:
    initial = {name: getattr(checkin, name) for name in ANSWERS[checkin.kind]}
    local = checkin.recorded_at.astimezone(person.zone)
    initial["day"] = local.date()
    initial["when"] = local.replace(tzinfo=None)
    if checkin.fingertip_floor_cm is not None:
        initial["fingertip_floor"] = measures.in_unit(
            checkin.fingertip_floor_cm, person.length_unit
        )
    return initial
