"""Whether this server sends e-mail, for the pages that would otherwise promise it: the
sign-up's link and the bedtime e-mail (`{% load mail %}{% mail_is_sent as mail_sent %}`)."""

from django import template

from backcoach import mail

register = template.Library()


@register.simple_tag
def mail_is_sent() -> bool:
    """mail.is_sent, for templates."""
    return mail.is_sent()
