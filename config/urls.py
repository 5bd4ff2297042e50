from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.accounts import page_password
from masthead.core.language import choose_language
from masthead.core.media_views import serve_media

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    # Django's set_language behind a same-origin check instead of a token: see masthead.core.language.
    path("i18n/setlang/", choose_language, name="set_language"),
    path("", include("masthead.accounts.urls")),
    path("", include("masthead.newsletters.mail_urls")),
    path("", include("masthead.newsletters.urls")),
    path("", include("masthead.billing.urls")),
    path("", include("masthead.access.urls")),
    path("", include("masthead.api.urls")),
]

# Local media for the embedded setup (DEBUG or not), with long lifetimes for renditions;
# production serves media from nginx (deploy/nginx/masthead.conf, the same lifetimes) or object storage.
urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

urlpatterns += [
    # Before Wagtail's own URLs: its page-password check goes through the sign-in gate.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_password.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
]

# The public pages, one version per language: English at the plain URL, Japanese under /ja/
# (masthead.core.language_urls decides the language from the URL; nothing above is prefixed).
urlpatterns += i18n_patterns(
    path("", include("masthead.search.urls")),
    path("", include("masthead.news.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"
