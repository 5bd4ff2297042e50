from django.urls import path

from masthead.accounts import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.dashboard, name="dashboard"),
    path("account/preferences/", views.preferences, name="preferences"),
    path("account/cancel/", views.cancel, name="cancel"),
    path("account/export/", views.export, name="export"),
    path("account/delete/", views.delete, name="delete"),
]
