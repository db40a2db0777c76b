from django.urls import path

from skillcity.policy import views

app_name = "policy"
urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("rules/", views.rules, name="rules"),
    path("simulate/", views.simulate, name="simulate"),
]
