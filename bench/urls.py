"""The site's URLs with the reference view in front of Wagtail's catch-all."""

from django.urls import path

from bench.reference_app import reference_view
from config import urls as site_urls

urlpatterns = [
    path("bench/reference/<int:pk>/", reference_view, name="bench_reference"),
    *site_urls.urlpatterns,
]

handler404 = site_urls.handler404
handler500 = site_urls.handler500
