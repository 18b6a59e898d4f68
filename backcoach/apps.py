from django.apps import AppConfig


class BackcoachConfig(AppConfig):
    """The site shell: home page, base templates, static files and the server commands."""

    name = "backcoach"
    verbose_name = "backcoach"
