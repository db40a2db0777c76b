"""/exports/<id>/: a background export's progress page, its progress fragment and its download."""

from django.urls import path

from skillcity.core import exports

app_name = "exports"
urlpatterns = [
    path("<int:pk>/", exports.export_detail, name="detail"),
    path("<int:pk>/progress/", exports.export_progress, name="progress"),
    path("<int:pk>/download/", exports.export_download, name="download"),
]
