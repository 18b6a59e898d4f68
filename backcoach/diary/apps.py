from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "backcoach.diary"
    label = "diary"
    verbose_name = "Diary: check-ins and measures"
