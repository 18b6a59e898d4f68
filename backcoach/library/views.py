import dataclasses

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from backcoach.safety import selectors as safety_selectors

from . import selectors
from .builder import NothingFits, build_routine
from .forms import BuildForm, LibraryFilterForm
from .models import Routine, Technique


@require_GET
def index(request):
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    context = {
        "form": form,
        "filtered": any(filters.values()) if filters else False,
        "routines": selectors.routines_matching(**filters),
        "techniques": selectors.techniques_matching(**filters),
    }
    return render(request, "library/index.html", context)


@require_GET
def technique_detail(request, technique):
    technique = get_object_or_404(
        Technique.objects.prefetch_related("sources"), slug=technique, is_active=True
    )
    return render(request, "library/technique.html", {"technique": technique})


@require_GET
def routine_detail(request, routine):
    routine = get_object_or_404(Routine, slug=routine, is_active=True)
    steps = list(routine.steps.select_related("technique"))
    return render(
        request,
        "library/routine.html",
        {"routine": routine, "steps": steps, "total": sum(s.duration for s in steps)},
    )


@require_GET
def build(request):
    initial = {"conditions": request.user.conditions} if request.user.is_authenticated else {}
    form = BuildForm(request.GET or None, initial=initial)
    context = {"form": form}
    if form.is_valid():
        wanted = form.builder_request()
        if request.user.is_authenticated:
            # The person's own conditions and safety state always apply, whatever is ticked.
            wanted = dataclasses.replace(
                wanted,
                conditions=wanted.conditions | set(request.user.conditions),
                gentle_only=safety_selectors.gentle_only(request.user),
            )
            context["gentle_only"] = wanted.gentle_only
        try:
            plan = build_routine(wanted, selectors.builder_moves())
        except NothingFits as exc:
            context["reason"] = str(exc)
        else:
            techniques = Technique.objects.in_bulk(
                [s.technique for s in plan.steps], field_name="slug"
            )
            context["plan"] = plan
            context["steps"] = [(step, techniques[step.technique]) for step in plan.steps]
    return render(request, "library/build.html", context)
