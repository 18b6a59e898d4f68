from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("build/", views.build, name="build"),
    path("techniques/<slug:technique>/", views.technique_detail, name="technique"),
    path("routines/<slug:routine>/", views.routine_detail, name="routine"),
]
