"""Whether this server sends e-mail: the pages that would otherwise promise it ask here, and
so does switching the bedtime e-mail on."""

from django.conf import settings


def is_sent() -> bool:
    """Whether an e-mail leaves this server. settings.py sends through SMTP exactly when
    EMAIL_HOST names a mail server; without one, each e-mail is printed in the terminal (or
    log) where `backcoach serve` runs, and reaches nobody else."""
    return bool(settings.EMAIL_HOST)
