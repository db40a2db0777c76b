from django.urls import path

app_name = "alliances"
urlpatterns: list = []
