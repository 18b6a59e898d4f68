from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import ranges, report
from .pdf import report_pdf
from .progress import progress_page

LIMITS = {"max_years": ranges.MAX_YEARS, "default_weeks": ranges.DEFAULT_WEEKS}


@login_required
@require_GET
def progress(request):
    page = progress_page(request.user)
    return render(request, "insights/progress.html", {"page": page})


def report_dates(request) -> ranges.DateRange | ranges.RangeError:
    """The report's dates from ?from=&to=, or the RangeError that says what is wrong."""
    today = report.person_today(request.user)
    try:
        return ranges.parse_range(request.GET.get("from"), request.GET.get("to"), today=today)
    except ranges.RangeError as error:
        return error


def range_error_page(request, error: ranges.RangeError):
    """The report's page with the form and the reason, for dates it cannot show: what was
    sent stays in the form, a field that was not sent shows its default."""
    default = report.default_dates(request.user)
    context = {
        **LIMITS,
        "error": error,
        "today": default.last,
        "chosen": {
            "from": request.GET.get("from", default.first.isoformat()),
            "to": request.GET.get("to", default.last.isoformat()),
        },
    }
    return render(request, "insights/report.html", context, status=400)


def report_or_error(request):
    """The report for the dates asked for, or the page saying what is wrong with them (a
    link with bad dates to the PDF gets the same page as the HTML report's)."""
    dates = report_dates(request)
    if isinstance(dates, ranges.RangeError):
        return range_error_page(request, dates)
    return report.clinician_report(request.user, dates)


@login_required
@require_GET
def clinician_report(request):
    found = report_or_error(request)
    if isinstance(found, HttpResponse):
        return found
    dates = found.dates
    context = {**LIMITS, "report": found, "dates": dates, "today": found.made_on}
    return render(request, "insights/report.html", context)


@login_required
@require_GET
def clinician_report_pdf(request):
    found = report_or_error(request)
    if isinstance(found, HttpResponse):
        return found
    dates = found.dates
    response = HttpResponse(report_pdf(found), content_type="application/pdf")
    filename = f"backcoach-report-{dates.first.isoformat()}-to-{dates.last.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A person's health record: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response
