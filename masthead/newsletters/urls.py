from django.urls import path

from masthead.newsletters import views

app_name = "newsletters"
urlpatterns = [
    path("newsletters/", views.newsletters_page, name="index"),
    path("newsletters/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletters/choices/", views.save_account_choices, name="choices"),
    path("newsletters/<slug:slug>/", views.archive, name="archive"),
    path("newsletters/<slug:slug>/<str:issue_ref>/", views.issue, name="issue"),
]
