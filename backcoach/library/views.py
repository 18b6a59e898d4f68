from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backcoach.safety import selectors as safety

from . import selectors, services
from .forms import BuildForm, LibraryFilterForm, OwnRoutineForm, UseBuiltForm, own_step_formset
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
        "own_routines": selectors.own_routines(request.user),
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
    found = selectors.routine_with_steps(routine, request.user)
    if found is None:
        raise Http404("No such routine")
    routine, steps = found
    person = request.user
    return render(
        request,
        "library/routine.html",
        {
            "routine": routine,
            "steps": steps,
            "total": sum(s.duration for s in steps),
            "is_tonights": person.is_authenticated and person.bedtime_routine_id == routine.pk,
            # The default needs no choosing while nothing else is chosen.
            "is_default_tonight": (
                person.is_authenticated and person.bedtime_routine_id is None and routine.is_default
            ),
        },
    )


@require_GET
def build(request):
    form = BuildForm(
        request.GET or None, initial={"conditions": sorted(safety.conditions_of(request.user))}
    )
    return render(request, "library/build.html", build_context(request, form))


def build_context(request, form, **extra) -> dict:
    context = {"form": form, "use_form": UseBuiltForm(), **extra}
    if form.is_valid():
        built = selectors.routine_built(wanted=form.builder_request(), person=request.user)
        context.update(
            plan=built.plan,
            steps=built.steps,
            reason=built.reason,
            gentle_only=built.request.gentle_only,
            gentle_reason=built.gentle_reason,
            plan_in_bed=built.request.in_bed,
            use_url=reverse("library:build_use") + "?" + request.GET.urlencode(),
        )
    return context


@login_required
@require_POST
def build_use(request):
    """Start the built routine, keep it in My routines, or make it tonight's. The plan is
    built again from the same answers (in the address), never taken from the form."""
    form = BuildForm(request.GET)
    use = UseBuiltForm(request.POST)
    if not form.is_valid():
        return redirect(reverse("library:build") + "?" + request.GET.urlencode())
    built = selectors.routine_built(wanted=form.builder_request(), person=request.user)
    if built.plan is None or not use.is_valid():
        context = build_context(request, form, use_form=use)
        return render(request, "library/build.html", context, status=400)
    action = use.cleaned_data["action"]
    purpose = "bedtime" if built.request.in_bed else "anytime"
    if action == UseBuiltForm.BEDTIME and purpose != "bedtime":
        use.add_error(None, "Only a routine built for bed can be your bedtime routine.")
        return render(
            request, "library/build.html", build_context(request, form, use_form=use), status=400
        )
    try:
        with transaction.atomic():
            routine = services.own_routine_from_plan(
                person=request.user,
                plan=built.plan,
                purpose=purpose,
                name=use.cleaned_data["name"],
                save=action != UseBuiltForm.START,
            )
            if action == UseBuiltForm.BEDTIME:
                services.bedtime_routine_choose(person=request.user, routine=routine)
    except services.RoutineRefused as refused:
        use.add_error("name" if action != UseBuiltForm.START else None, str(refused))
        return render(
            request, "library/build.html", build_context(request, form, use_form=use), status=400
        )
    if action == UseBuiltForm.START:
        return redirect("player:play", routine=routine.slug)
    if action == UseBuiltForm.BEDTIME:
        messages.success(
            request,
            f"“{routine.name}” is your bedtime routine: “Start tonight's routine” plays it.",
        )
        return redirect("home")
    messages.success(request, f"“{routine.name}” is saved in My routines.")
    return redirect(routine)


def own_routine(request, slug) -> Routine:
    """One of the person's own routines, or 404: another person's is not found either."""
    return get_object_or_404(request.user.own_routines, slug=slug, is_active=True)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def routine_edit(request, routine):
    routine = own_routine(request, routine)
    steps = list(routine.steps.select_related("technique"))
    data = request.POST if request.method == "POST" else None
    form = OwnRoutineForm(data, initial={"name": routine.name})
    formset = own_step_formset(steps=steps, data=data)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.own_routine_update(
                person=request.user,
                routine=routine,
                name=form.cleaned_data["name"],
                steps=formset.own_steps(),
            )
        except services.RoutineRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” is saved.")
            return redirect(routine)
    status = 400 if data is not None else 200
    context = {"routine": routine, "form": form, "formset": formset}
    return render(request, "library/routine_edit.html", context, status=status)


@login_required
@require_POST
def routine_remove(request, routine):
    routine = own_routine(request, routine)
    services.own_routine_remove(person=request.user, routine=routine)
    messages.success(request, f"“{routine.name}” is no longer in My routines.")
    return redirect("library:index")


@login_required
@require_POST
def bedtime_choose(request, routine):
    """Make this routine tonight's; the library's default again when it already is."""
    found = Routine.objects.visible_to(request.user).filter(slug=routine, is_active=True).first()
    if found is None:
        raise Http404("No such routine")
    chosen = None if request.user.bedtime_routine_id == found.pk else found
    try:
        services.bedtime_routine_choose(person=request.user, routine=chosen)
    except services.RoutineRefused as refused:
        messages.error(request, str(refused))
        return redirect(found)
    if chosen is None:
        messages.success(request, "Tonight's routine is the library's default again.")
    else:
        messages.success(
            request, f"“{found.name}” is your bedtime routine: “Start tonight's routine” plays it."
        )
    return redirect(found)
