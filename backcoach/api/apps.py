from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "backcoach.api"
    label = "api"
    verbose_name = "JSON API"
