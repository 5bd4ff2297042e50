"""The addresses newsletters link to: one-click unsubscribe, the click redirect, the open pixel and
the providers' tracking webhooks (included from config/urls.py)."""

from django.urls import include, path

from masthead.newsletters import tracking, unsubscribe
from masthead.newsletters.webhooks import webhook_patterns

app_name = "newsletter_mail"
urlpatterns = [
    path(
        "email/unsubscribe/<int:reader_id>/<int:newsletter_id>/<str:signature>/",
        unsubscribe.unsubscribe_view,
        name="unsubscribe",
    ),
    path("email/click/<int:issue_id>/<str:token>/", tracking.click, name="click"),
    path("email/open/<int:issue_id>/<str:token>.gif", tracking.open_pixel, name="open"),
    path("email/webhooks/", include((webhook_patterns(), "anymail"), namespace="webhooks")),
]
