from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "backcoach.safety"
    label = "safety"
    verbose_name = "Safety: red flags, conditions, flare-ups"
