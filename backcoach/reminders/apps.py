from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "backcoach.reminders"
    label = "reminders"
    verbose_name = "Bedtime reminders"
