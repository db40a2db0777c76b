from django.urls import path

from skillcity.training import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("redeem/", views.redeem, name="redeem"),
]
