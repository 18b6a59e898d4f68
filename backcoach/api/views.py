"""The pages for personal access tokens (the API itself is in urls.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import tokens
from .forms import TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            _, made = tokens.token_create(
                person=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                lifetime=form.cleaned_data["lifetime"],
            )
        except tokens.TokenRefused as exc:
            form.add_error("name", str(exc))
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "made": made, "tokens": request.user.access_tokens.with_works()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, access_token):
    found = get_object_or_404(request.user.access_tokens, pk=access_token)
    tokens.token_revoke(token=found)
    messages.success(request, f"The token “{found.name}” is revoked: it works no more.")
    return redirect("tokens:list")
