from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from backcoach.safety import selectors as safety

from . import selectors
from .forms import BuildForm, LibraryFilterForm
from .models import Technique


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
    found = selectors.routine_with_steps(routine)
    if found is None:
        raise Http404("No such routine")
    routine, steps = found
    return render(
        request,
        "library/routine.html",
        {"routine": routine, "steps": steps, "total": sum(s.duration for s in steps)},
    )


@require_GET
def build(request):
    form = BuildForm(
        request.GET or None, initial={"conditions": sorted(safety.conditions_of(request.user))}
    )
    context = {"form": form}
    if form.is_valid():
        built = selectors.routine_built(wanted=form.builder_request(), person=request.user)
        context.update(
            plan=built.plan,
            steps=built.steps,
            reason=built.reason,
            gentle_only=built.request.gentle_only,
        )
    return render(request, "library/build.html", context)
