from django.urls import path

from . import views

app_name = "experiments"

urlpatterns = [
    path("", views.index, name="index"),
    path("tonight/", views.tonight, name="tonight"),
    path("<int:experiment>/", views.detail, name="detail"),
    path("<int:experiment>/stop/", views.stop, name="stop"),
    path("<int:experiment>/export.json", views.export, name="export"),
]
