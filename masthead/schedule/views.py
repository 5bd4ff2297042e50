"""The "Scheduled work" report in the Wagtail admin (Reports menu)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from masthead.schedule.jobs import newsroom_jobs
from masthead.schedule.report import job_lines, queue_lines
from masthead.schedule.task_queue import database_backends

VIEW_PERMISSION = "schedule.view_scheduledjob"


def may_view(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or user.has_perm(VIEW_PERMISSION)))


def scheduled_work(request: HttpRequest) -> HttpResponse:
    if not may_view(request):
        raise PermissionDenied
    now = timezone.now()
    context = {
        "now": now,
        "jobs": job_lines(jobs=newsroom_jobs(), now=now),
        "queues": queue_lines(backends=database_backends()),
    }
    response = TemplateResponse(request, "schedule/scheduled_work.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
