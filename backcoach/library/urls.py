from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("build/", views.build, name="build"),
    path("build/use/", views.build_use, name="build_use"),
    path("techniques/<slug:technique>/", views.technique_detail, name="technique"),
    path("routines/<slug:routine>/", views.routine_detail, name="routine"),
    path("routines/<slug:routine>/edit/", views.routine_edit, name="routine_edit"),
    path("routines/<slug:routine>/remove/", views.routine_remove, name="routine_remove"),
    path("routines/<slug:routine>/bedtime/", views.bedtime_choose, name="bedtime"),
]
