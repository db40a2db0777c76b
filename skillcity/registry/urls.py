from django.urls import path

from skillcity.registry import views

app_name = "registry"
urlpatterns = [
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/export.xlsx", views.worker_export, name="worker_export"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/reveal/", views.worker_reveal, name="worker_reveal"),
    path("workers/<int:pk>/records/new/", views.skill_record_add, name="skill_record_add"),
    path("workers/import/", views.import_records, {"kind": "workers"}, name="worker_import"),
    path(
        "organisations/import/", views.import_records, {"kind": "organisations"}, name="organisation_import"
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/export.xlsx", views.organisation_export, name="organisation_export"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("import/<str:kind>/", views.import_records, name="import"),
    path("import/<str:kind>/template.xlsx", views.import_template, name="import_template"),
    path("reference/", views.reference, name="reference"),
]
