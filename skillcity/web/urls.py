from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from skillcity.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links; the file is a static one.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.ico"), permanent=True), name="favicon"),
]
