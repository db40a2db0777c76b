from django.urls import path

from skillcity.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("large-type/", views.large_type_view, name="large_type"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
