from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import export, fhir
from .tables import TABLES


@login_required
@require_GET
def index(request):
    return render(request, "portability/index.html", {"tables": TABLES})


def download(parts, *, name: str, suffix: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(parts, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="backcoach-{name}-{stamp}.{suffix}"'
    return response


@login_required
@require_GET
def zip_file(request):
    return download(
        export.zip_stream(request.user), name="export", suffix="zip", content_type="application/zip"
    )


@login_required
@require_GET
def json_file(request):
    return download(
        (part.encode() for part in export.json_document(request.user)),
        name="export",
        suffix="json",
        content_type="application/json",
    )


@login_required
@require_GET
def fhir_file(request):
    return download(
        (part.encode() for part in fhir.bundle(request.user)),
        name="fhir",
        suffix="json",
        content_type="application/fhir+json",
    )
