from django.urls import path

app_name = "certification"
urlpatterns: list = []
