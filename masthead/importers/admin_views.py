"""The imports desk in the Wagtail admin: upload an export, read the dry run, confirm, follow it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from masthead.importers import runs
from masthead.importers.models import SOURCES, ImportRun
from masthead.importers.report import Report


def may_import(user: Any) -> bool:
    return bool(user.is_superuser or user.has_perm("importers.add_importrun"))


def _require(request: HttpRequest) -> None:
    if not may_import(request.user):
        raise PermissionDenied


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=pgettext_lazy("import source", "From"), choices=SOURCES)
    export = forms.FileField(
        label=_("Export file"),
        help_text=_("WordPress: the .xml export. Ghost: the .json export. Substack: the export's .zip."),
    )
    members = forms.FileField(
        label=_("Members CSV (optional)"),
        required=False,
        help_text=_("Ghost's members export. A Substack zip brings its own e-mail list."),
    )
    section = forms.CharField(
        label=_("Section for unmapped stories"),
        required=False,
        help_text=_("The slug of the section stories go to when the source names none that exists."),
    )
    download = forms.BooleanField(
        label=_("Download pictures from the old site"), required=False, initial=True
    )


def index(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = ImportRun.objects.create(
            source=data["source"],
            file_name=data["export"].name[:255],
            stored_path=runs.keep_upload(data["export"]),
            members_path=runs.keep_upload(data["members"]) if data["members"] else "",
            options={"section": data["section"], "download": data["download"]},
            dry_run=True,
        )
        runs.start(run)
        return redirect("importers:detail", pk=run.pk)
    context = {"form": form, "runs": ImportRun.objects.all()[:50]}
    return _private(TemplateResponse(request, "importers/index.html", context))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    run = get_object_or_404(ImportRun, pk=pk)
    report = Report.from_json(run.report) if run.report else None
    context = {"run": run, "report": report, "rows": _rows(report), "finished": run.finished_at is not None}
    return _private(TemplateResponse(request, "importers/detail.html", context))


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    run = get_object_or_404(ImportRun, pk=pk)
    return _private(
        JsonResponse(
            {
                "status": run.status,
                "done": run.progress_done,
                "total": run.progress_total,
                "percent": run.percent,
            }
        )
    )


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    dry_run = get_object_or_404(ImportRun, pk=pk, dry_run=True, status=ImportRun.Status.DONE)
    run = runs.confirm(dry_run)
    return redirect("importers:detail", pk=run.pk)


def _rows(report: Report | None) -> list[tuple[str, int, int, int]]:
    if report is None:
        return []
    return [
        (kind, row["created"], row["updated"], row["skipped"]) for kind, row in sorted(report.counts.items())
    ]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response
