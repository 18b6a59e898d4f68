"""Whether this server sends e-mail, for the pages that would otherwise promise it: the
sign-up's link and the bedtime e-mail (`{% load mail %}{% mail_is_sent as mail_sent %}`)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def mail_is_sent() -> bool:
    """Whether an e-mail leaves this server. settings.py sends through SMTP exactly when
    EMAIL_HOST names a mail server; without one, each e-mail is printed in the terminal (or
    log) where `backcoach serve` runs, and reaches nobody else."""
    return bool(settings.EMAIL_HOST)
