from .models import normalize_email


def login_identifier(request, credentials: dict | None) -> str | None:
    """The e-mail address a login attempt was for, as stored: trimmed and in lower case."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") if source else None
    return normalize_email(value) if isinstance(value, str) else None
