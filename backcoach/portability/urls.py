from django.urls import path

from . import views

app_name = "portability"

urlpatterns = [
    path("", views.index, name="index"),
    path("backcoach.zip", views.zip_file, name="zip"),
    path("backcoach.json", views.json_file, name="json"),
    path("fhir.json", views.fhir_file, name="fhir"),
]
