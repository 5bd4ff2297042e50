"""The imports desk: upload, read the dry run, confirm; the import runs on the task worker."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masthead.importers import runs
from masthead.importers.models import ImportRun
from masthead.news.models import ArticlePage
from tests.importers.conftest import WXR


def test_upload_dry_run_then_confirm(pub, client, django_user_model, django_capture_on_commit_callbacks):
    admin = django_user_model.objects.create_superuser(email="desk@example.com", password="pw-for-the-desk")
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("importers:index"),
            {
                "source": "wordpress",
                "export": SimpleUploadedFile("site.xml", WXR.read_bytes(), "text/xml"),
                "section": "business",
                "download": "",
            },
        )
    dry = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{dry.pk}/")
    # Kept privately, not under the public media folder.
    assert not Path(dry.stored_path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert dry.status == "done" and dry.dry_run
    assert not ArticlePage.objects.exists()

    page = client.get(reverse("importers:detail", args=[dry.pk])).content.decode()
    assert "Dry run: nothing is written" in page
    assert dry.report["line"] in page and "data-confirm-import" in page
    assert "missing media" in page  # the warnings are listed with their source ids

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("importers:confirm", args=[dry.pk]))
    real = ImportRun.objects.exclude(pk=dry.pk).get()
    assert response["Location"].endswith(f"/imports/{real.pk}/")
    assert real.status == "done" and not real.dry_run and real.percent == 100
    assert ArticlePage.objects.count() == 15
    assert ArticlePage.objects.filter(slug="text-category-blocks").get().get_parent().slug == "business"
    progress = client.get(reverse("importers:progress", args=[real.pk])).json()
    assert progress["status"] == "done"
    # The report stays readable afterwards.
    assert real.report["line"] in client.get(reverse("importers:detail", args=[real.pk])).content.decode()
    runs.forget_file(real)


def test_the_desk_is_for_staff_allowed_to_import(pub, client, django_user_model):
    reader = django_user_model.objects.create_user(email="reader@example.com", password="pw")
    client.force_login(reader)
    assert client.get(reverse("importers:index")).status_code in (302, 403)
