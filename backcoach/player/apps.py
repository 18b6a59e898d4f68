from django.apps import AppConfig


class PlayerConfig(AppConfig):
    name = "backcoach.player"
    label = "player"
    verbose_name = "Practices and the guided player"
