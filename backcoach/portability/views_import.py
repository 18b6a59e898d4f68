"""The import pages: upload, (for a plain CSV) say which column holds what, see the result."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import importer, services
from .forms import MappingForm, UploadForm

# A plain CSV waits in the session between its upload and the choice of columns.
PLAIN_CSV_MAX = 1024 * 1024
SESSION_KEY = "portability-plain-csv"


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    # A body longer than the largest upload never reaches here: BodyLimitMiddleware
    # refuses it by its declared length, before the CSRF check would read it.
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "portability/import.html", {"form": form}, status=400 if form.errors else 200
        )
    upload_file = form.cleaned_data["file"]
    if upload_file.size > importer.MAX_BYTES:
        form.add_error("file", f"The file is larger than {importer.MAX_BYTES // (1024 * 1024)} MB.")
        return render(request, "portability/import.html", {"form": form}, status=413)
    data = upload_file.read()
    try:
        kind, _ = importer.read_upload(data)
        if kind == "pain-csv":
            return columns_next(request, form, data)
        report = services.data_import(
            person=request.user,
            data=data,
            dry_run=form.cleaned_data["dry_run"],
            site_url=request.build_absolute_uri("/"),
        )
    except importer.ImportRefused as exc:
        # The file as a whole cannot be imported (read_upload's words, which the command
        # says too): nothing was written, and the form is shown again to choose another.
        form.add_error("file", str(exc))
        return render(request, "portability/import.html", {"form": form}, status=400)
    return result(request, report, dry_run=form.cleaned_data["dry_run"])


def columns_next(request, form, data: bytes):
    """A plain CSV waits in the session while the person says which column holds what."""
    if len(data) > PLAIN_CSV_MAX:
        form.add_error("file", "A CSV of pain ratings can be at most 1 MB.")
        return render(request, "portability/import.html", {"form": form}, status=400)
    request.session[SESSION_KEY] = {
        "data": base64.b64encode(data).decode(),
        "dry_run": form.cleaned_data["dry_run"],
    }
    return redirect("portability:columns")


@login_required
@require_http_methods(["GET", "POST"])
def columns(request):
    waiting = request.session.get(SESSION_KEY)
    if not waiting:
        messages.error(request, "Upload the CSV file first.")
        return redirect("portability:import")
    data = base64.b64decode(waiting["data"])
    _, (header, rows) = importer.read_upload(data)
    form = MappingForm(request.POST or None, header=header)
    if request.method == "POST" and form.is_valid():
        mapping = services.Mapping(**form.cleaned_data)
        try:
            report = services.data_import(
                person=request.user,
                data=data,
                mapping=mapping,
                dry_run=waiting["dry_run"],
                site_url=request.build_absolute_uri("/"),
            )
        except importer.ImportRefused as exc:
            form.add_error(None, str(exc))
        else:
            if report.ok and not waiting["dry_run"]:
                del request.session[SESSION_KEY]
            return result(request, report, dry_run=waiting["dry_run"])
    return render(
        request,
        "portability/columns.html",
        {"form": form, "header": header, "sample": rows[:5]},
        status=400 if form.errors else 200,
    )


def result(request, report, *, dry_run: bool):
    return render(
        request,
        "portability/imported.html",
        {"report": report, "dry_run": dry_run},
        status=200 if report.ok else 400,
    )
