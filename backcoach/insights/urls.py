from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.progress, name="progress"),
    path("report/", views.clinician_report, name="report"),
    path("report.pdf", views.clinician_report_pdf, name="report_pdf"),
]
