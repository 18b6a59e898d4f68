from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "backcoach.insights"
    label = "insights"
    verbose_name = "Insights: progress charts and summaries"
