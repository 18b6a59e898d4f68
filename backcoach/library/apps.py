from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "backcoach.library"
    label = "library"
    verbose_name = "Technique and routine library"
