from django.urls import path

from . import views

app_name = "player"

urlpatterns = [
    path("tonight/", views.tonight, name="tonight"),
    path("history/", views.history, name="history"),
    path("<slug:routine>/", views.play, name="play"),
]
