from django.urls import path

from . import views, views_import

app_name = "portability"

urlpatterns = [
    path("", views.index, name="index"),
    path("backcoach.zip", views.zip_file, name="zip"),
    path("backcoach.json", views.json_file, name="json"),
    path("fhir.json", views.fhir_file, name="fhir"),
    path("import/", views_import.upload, name="import"),
    path("import/columns/", views_import.columns, name="columns"),
]
