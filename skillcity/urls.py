from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

from skillcity.api import api_urls, unknown_api_path

urlpatterns = [
    # The API first: it takes the most requests, and Django tries patterns in order.
    path("api/v1/", api_urls()),
    re_path(r"^api/v1/", unknown_api_path),
    path("", include("skillcity.web.urls")),
    path("accounts/", include("skillcity.accounts.urls")),
    path("registry/", include("skillcity.registry.urls")),
    path("policy/", include("skillcity.policy.urls")),
    path("alliances/", include("skillcity.alliances.urls")),
    path("certification/", include("skillcity.certification.urls")),
    path("competitions/", include("skillcity.competitions.urls")),
    path("talents/", include("skillcity.talents.urls")),
    path("platforms/", include("skillcity.platforms.urls")),
    path("schools/", include("skillcity.schools.urls")),
    path("learning/", include("skillcity.learning.urls")),
    path("employment/", include("skillcity.employment.urls")),
    path("apprenticeship/", include("skillcity.apprenticeship.urls")),
    path("matching/", include("skillcity.matching.urls")),
    path("timeline/", include("skillcity.timeline.urls")),
    path("supervision/", include("skillcity.supervision.urls")),
    path("grants/", include("skillcity.grants.urls")),
    path("training/", include("skillcity.training.urls")),
    path("notifications/", include("skillcity.notifications.urls")),
    path("exports/", include("skillcity.core.export_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "skillcity.web.views.permission_denied"
handler404 = "skillcity.web.views.not_found"
