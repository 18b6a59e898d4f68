from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("screen/", views.screen, name="screen"),
    path("screen/result/", views.result, name="result"),
    path("screen/assessed/", views.assessed, name="assessed"),
    path("conditions/", views.conditions, name="conditions"),
    path("flare-up/", views.flare_up, name="flare_up"),
    path("evidence/", views.evidence, name="evidence"),
]
