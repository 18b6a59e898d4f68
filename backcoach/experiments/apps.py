from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "backcoach.experiments"
    label = "experiments"
    verbose_name = "Personal experiments"
