from django.urls import path

from skillcity.policy import views
from skillcity.policy.lifecycle import views as lifecycle_views

app_name = "policy"
urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("rules/", views.rules, name="rules"),
    path("simulate/", views.simulate, name="simulate"),
    path("drafts/", lifecycle_views.draft_list, name="drafts"),
    path("drafts/<int:pk>/", lifecycle_views.draft_detail, name="draft"),
    path("drafts/<int:pk>/versions/", lifecycle_views.draft_version_add, name="draft_version_add"),
    path(
        "drafts/<int:pk>/<str:action>/",
        lifecycle_views.draft_action,
        name="draft_action",
    ),
]
