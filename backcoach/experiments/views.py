import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backcoach.safety import content as safety_content

from . import selectors, services
from .forms import ExperimentForm
from .models import Experiment
from .outcomes import OUTCOMES, SOURCES


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """Your experiments, and the form to start one when none is running."""
    running = selectors.running_experiment(request.user)
    form = None
    if running is None:
        today = selectors.today_of(request.user)
        form = ExperimentForm(
            request.POST if request.method == "POST" else None, today=today, person=request.user
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                experiment = services.experiment_start(
                    person=request.user,
                    question=data["question"],
                    routine_a=data["routine_a"],
                    routine_b=data["routine_b"],
                    outcome=data["outcome"],
                    secondary_outcomes=data["secondary_outcomes"],
                    weeks=data["weeks"],
                    first_night=data["first_night"],
                )
            except services.ExperimentRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Your experiment has started. The schedule is set.")
                return redirect("experiments:detail", experiment=experiment.pk)
    elif request.method == "POST":
        messages.error(
            request, "An experiment is already running: stop it before starting another."
        )
        return redirect("experiments:detail", experiment=running.pk)
    today = selectors.today_of(request.user)
    experiments = [
        (experiment, Experiment.Status(experiment.state(today)).label)
        for experiment in request.user.experiments.all()
    ]
    return render(
        request,
        "experiments/index.html",
        {
            "form": form,
            "running": running,
            "experiments": experiments,
            "outcomes": OUTCOMES.values(),
            "sources": [source for source in safety_content.sources() if source.key in SOURCES],
        },
    )


def own_experiment(request, pk):
    """One of the person's experiments, with what its report reads; 404 for anyone else's."""
    return get_object_or_404(
        request.user.experiments.select_related("person", "routine_a", "routine_b"), pk=pk
    )


@login_required
@require_GET
def detail(request, experiment):
    experiment = own_experiment(request, experiment)
    report = selectors.experiment_report(experiment)
    tonight = selectors.tonight(request.user)
    if tonight is not None and tonight.experiment.pk != experiment.pk:
        tonight = None
    return render(request, "experiments/detail.html", {"report": report, "tonight": tonight})


@login_required
@require_POST
def stop(request, experiment):
    experiment = get_object_or_404(request.user.experiments, pk=experiment)
    services.experiment_stop(experiment=experiment)
    messages.success(request, "The experiment is stopped. Its nights so far still count.")
    return redirect("experiments:detail", experiment=experiment.pk)


@login_required
@require_GET
def export(request, experiment):
    experiment = own_experiment(request, experiment)
    document = selectors.experiment_document(experiment)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    name = f"backcoach-experiment-{experiment.first_night:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def tonight(request):
    """Tonight's instruction in a running experiment; on a night without a routine, this
    is what "Start tonight's routine" leads to."""
    assignment = selectors.tonight(request.user)
    if assignment is None:
        return redirect("experiments:index")
    return render(request, "experiments/tonight.html", {"tonight": assignment})
