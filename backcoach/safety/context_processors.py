from .models import Screen
from .selectors import SEE_CLINICIAN_GENTLE


def safety_banner(request):
    """A persistent banner while the last screen said to see a clinician."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def banner():
        latest = user.screens.order_by("-answered_at").only("outcome").first()
        return latest.outcome if latest and latest.outcome != Screen.Outcome.NONE else ""

    return {"safety_banner": banner, "safety_banner_gentle": SEE_CLINICIAN_GENTLE}
