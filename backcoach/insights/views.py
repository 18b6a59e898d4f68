from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def progress(request):
    page = selectors.progress_page(request.user)
    return render(request, "insights/progress.html", {"page": page})
