from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "backcoach.portability"
    label = "portability"
    verbose_name = "Your data: export and import"
