"""The newsroom's issue desk in the Wagtail admin: compose (or start from an article), preview as
each kind of reader, send a test to yourself, schedule or send, then watch progress and results.

Sending is never done here: "Send now" marks the issue and enqueues it for the task worker
(`sending.enqueue_issue`), and a scheduled issue is picked up by the newsroom clock. Composing
needs the model's add/change permissions; sending, scheduling and tests need "send newsletter
issues" (`SEND_PERMISSION`), which a superuser grants to an editors' group.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.widgets import AdminPageChooser

from masthead.access.paywall_config import paywall_config
from masthead.news.models import ArticlePage
from masthead.newsletters.models import DeliveryEvent, Issue, IssueStory, Newsletter, Recipient
from masthead.newsletters.subscriptions import attributed_subscriptions

SEND_CODENAME = "send_issue"
SEND_PERMISSION = f"newsletters.{SEND_CODENAME}"
COMPOSE_PERMISSIONS = ("newsletters.add_issue", "newsletters.change_issue")
STORY_SLOTS = 5

# The kinds of reader an editor previews an issue as (nlcore's `render_issue_as` kinds).
PREVIEW_KINDS: list[tuple[str, Any]] = [
    ("subscriber", gettext_lazy("Subscriber")),
    ("trialist", gettext_lazy("Trialist")),
    ("registered", gettext_lazy("Registered reader")),
    ("lapsed", gettext_lazy("Lapsed subscriber")),
    ("trial_expired", gettext_lazy("Expired trial")),
    ("anonymous", gettext_lazy("Anonymous (forwarded copy)")),
]
EDITABLE = (Issue.Status.DRAFT, Issue.Status.SCHEDULED)


def ensure_send_permission() -> Permission:
    """The "send newsletter issues" permission, made on first use so it can be granted to a group."""
    content_type = ContentType.objects.get_for_model(Issue)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=SEND_CODENAME,
        defaults={"name": "Can send newsletter issues"},
    )
    return permission


def may_compose(user: Any) -> bool:
    return bool(user.is_active and (user.is_superuser or any(user.has_perm(p) for p in COMPOSE_PERMISSIONS)))


def may_send(user: Any) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(SEND_PERMISSION)))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def publication_zone() -> ZoneInfo:
    return ZoneInfo(paywall_config(request=None).time_zone)


# --- compose -------------------------------------------------------------------------------------


class IssueForm(forms.ModelForm[Issue]):
    class Meta:
        model = Issue
        fields = ["newsletter", "subject", "preheader", "intro", "body", "article"]
        widgets = {
            "article": AdminPageChooser(target_models=[ArticlePage]),
            "intro": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["newsletter"].queryset = Newsletter.objects.filter(is_active=True)
        self.fields["article"].queryset = ArticlePage.objects.all()
        self.fields["article"].label = _("Lead article")
        if self.is_bound and "body-count" not in self.data:
            # A post without the body's editor (a script, an older page) leaves the body as it is.
            del self.fields["body"]
        stories = list(self.instance.story_links.order_by("sort_order", "pk")) if self.instance.pk else []
        for slot in range(STORY_SLOTS):
            name = f"story_{slot + 1}"
            self.fields[name] = forms.ModelChoiceField(
                queryset=ArticlePage.objects.all(),
                required=False,
                label=_("Linked story %(number)s") % {"number": slot + 1},
                widget=AdminPageChooser(target_models=[ArticlePage]),
            )
            if slot < len(stories):
                self.initial[name] = stories[slot].article_id

    def story_fields(self) -> list[Any]:
        return [self[f"story_{slot + 1}"] for slot in range(STORY_SLOTS)]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.Meta.fields if name in self.fields]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_story = any(cleaned.get(f"story_{s + 1}") for s in range(STORY_SLOTS))
        has_text = bool((cleaned.get("intro") or "").strip()) or bool(cleaned.get("body"))
        if not cleaned.get("article") and not has_story and not has_text:
            raise forms.ValidationError(
                _("An issue needs a lead article, a linked story or an introduction.")
            )
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True) -> Issue:
        issue = super().save(commit=True)
        issue.story_links.all().delete()
        seen: set[int] = set()
        for slot in range(STORY_SLOTS):
            article = self.cleaned_data.get(f"story_{slot + 1}")
            if article is not None and article.pk not in seen and article.pk != issue.article_id:
                seen.add(article.pk)
                IssueStory.objects.create(issue=issue, article=article, sort_order=slot)
        return issue


def issue_index(request: HttpRequest) -> HttpResponse:
    _require(may_compose(request.user) or may_send(request.user))
    issues = Issue.objects.select_related("newsletter").order_by("-created_at", "-pk")
    newsletter = request.GET.get("newsletter")
    if newsletter and newsletter.isdigit():
        issues = issues.filter(newsletter_id=int(newsletter))
    context = {
        "issues": issues[:200],
        "newsletters": Newsletter.objects.all(),
        "may_compose": may_compose(request.user),
    }
    return _private(TemplateResponse(request, "newsletters/admin/issue_index.html", context))


def issue_create(request: HttpRequest) -> HttpResponse:
    _require(may_compose(request.user))
    initial: dict[str, Any] = {"newsletter": Newsletter.objects.filter(is_active=True).first()}
    article_id = request.GET.get("article")
    if article_id and article_id.isdigit():
        article = ArticlePage.objects.filter(pk=int(article_id)).first()
        if article is not None:
            # "Send as newsletter issue": the article leads, its headline and standfirst start the e-mail.
            initial.update(article=article, subject=article.title, preheader=(article.standfirst or "")[:200])
    form = IssueForm(request.POST or None, initial=initial, instance=Issue(created_by=request.user))
    if request.method == "POST" and form.is_valid():
        issue = form.save()
        messages.success(request, _("Issue “%(subject)s” saved as a draft.") % {"subject": issue.subject})
        return redirect("newsletter_issues:detail", issue.pk)
    context = {"form": form, "issue": None}
    return _private(TemplateResponse(request, "newsletters/admin/issue_form.html", context))


def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(may_compose(request.user))
    issue = get_object_or_404(Issue, pk=pk)
    if issue.status not in EDITABLE:
        messages.error(request, _("An issue that is sending or sent cannot be changed."))
        return redirect("newsletter_issues:detail", issue.pk)
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Issue saved."))
        return redirect("newsletter_issues:detail", issue.pk)
    return _private(
        TemplateResponse(request, "newsletters/admin/issue_form.html", {"form": form, "issue": issue})
    )


# --- progress and results ----------------------------------------------------------------------


def progress(issue: Issue) -> dict[str, Any]:
    counts = {
        row["status"]: row["n"]
        for row in Recipient.objects.filter(issue=issue).values("status").annotate(n=Count("pk")).order_by()
    }
    total = sum(counts.values()) or issue.recipients_total
    sent = counts.get(Recipient.Status.SENT, issue.sent_count)
    skipped = counts.get(Recipient.Status.SKIPPED, issue.skipped_count)
    failed = counts.get(Recipient.Status.FAILED, issue.failed_count)
    waiting = counts.get(Recipient.Status.PENDING, 0) + counts.get(Recipient.Status.CLAIMED, 0)
    done = sent + skipped + failed
    return {
        "status": issue.status,
        "status_label": str(issue.get_status_display()),
        "total": total,
        "sent": sent,
        "skipped": skipped,
        "failed": failed,
        "waiting": waiting,
        # Handed to the server or provider by a worker that died before its answer (`sending`).
        "in_doubt": Recipient.objects.filter(issue=issue, in_doubt=True).count(),
        "percent": round(100 * done / total) if total else 0,
    }


def results(issue: Issue) -> dict[str, Any]:
    events = DeliveryEvent.objects.filter(issue=issue)

    def unique(kind: str) -> int:
        return events.filter(kind=kind, recipient__isnull=False).values("recipient").distinct().count()

    found: dict[str, Any] = {
        "delivered": unique(DeliveryEvent.Kind.DELIVERED),
        "bounced": unique(DeliveryEvent.Kind.BOUNCED),
        "complained": unique(DeliveryEvent.Kind.COMPLAINED),
        "unsubscribed": unique(DeliveryEvent.Kind.UNSUBSCRIBED),
        "clicks": events.filter(kind=DeliveryEvent.Kind.CLICKED).count(),
        "clickers": unique(DeliveryEvent.Kind.CLICKED),
        "track_clicks": issue.newsletter.track_clicks,
        "track_opens": issue.newsletter.track_opens,
        "subscriptions": attributed_subscriptions(issue),
    }
    if issue.newsletter.track_opens:
        found["opens"] = unique(DeliveryEvent.Kind.OPENED)
        found["machine_opens"] = unique(DeliveryEvent.Kind.MACHINE_OPEN)
    found["top_links"] = list(
        events.filter(kind=DeliveryEvent.Kind.CLICKED)
        .exclude(url="")
        .values("url")
        .annotate(n=Count("pk"))
        .order_by("-n", "url")[:10]
    )
    return found


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(may_compose(request.user) or may_send(request.user))
    issue = get_object_or_404(Issue.objects.select_related("newsletter", "article"), pk=pk)
    zone = publication_zone()
    default_when = (timezone.now() + timedelta(hours=1)).astimezone(zone).replace(second=0, microsecond=0)
    context = {
        "issue": issue,
        "stories": [link.article for link in issue.story_links.select_related("article")],
        "progress": progress(issue),
        "results": results(issue) if issue.status in (Issue.Status.SENDING, Issue.Status.SENT) else None,
        "may_send": may_send(request.user),
        "may_compose": may_compose(request.user),
        "editable": issue.status in EDITABLE,
        "zone": str(zone),
        "default_when": default_when.strftime("%Y-%m-%dT%H:%M"),
        "preview_kinds": PREVIEW_KINDS,
        "live": issue.status == Issue.Status.SENDING,
    }
    return _private(TemplateResponse(request, "newsletters/admin/issue_detail.html", context))


def issue_progress(request: HttpRequest, pk: int) -> HttpResponse:
    _require(may_compose(request.user) or may_send(request.user))
    issue = get_object_or_404(Issue, pk=pk)
    response = JsonResponse(progress(issue))
    response["Cache-Control"] = "private, no-store"
    return response


# --- preview -----------------------------------------------------------------------------------


def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue as one kind of reader receives it, or (`?as=all`) every kind side by side."""
    _require(may_compose(request.user) or may_send(request.user))
    issue = get_object_or_404(Issue.objects.select_related("newsletter", "article"), pk=pk)
    kinds = dict(PREVIEW_KINDS)
    kind = request.GET.get("as") or PREVIEW_KINDS[0][0]
    if kind != "all" and kind not in kinds:
        kind = PREVIEW_KINDS[0][0]
    shown = [value for value, _label in PREVIEW_KINDS] if kind == "all" else [kind]
    copies = [{"kind": value, "label": kinds[value], **_preview_copy(issue, value)} for value in shown]
    context = {
        "issue": issue,
        "kind": kind,
        "kind_label": _("every kind of reader") if kind == "all" else kinds[kind],
        "preview_kinds": PREVIEW_KINDS,
        "copies": copies,
        "side_by_side": kind == "all",
        # One kind: its subject, text and document at the top level, as before.
        **(copies[0] if kind != "all" else {}),
    }
    return _private(TemplateResponse(request, "newsletters/admin/issue_preview.html", context))


def _preview_copy(issue: Issue, kind: str) -> dict[str, str]:
    from masthead.mail.outbox_admin import sandboxed_document
    from masthead.newsletters.rendering import render_issue_as

    message = render_issue_as(issue, kind)
    html = next((str(content) for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    return {
        "subject": message.subject,
        "text": message.body,
        "srcdoc": sandboxed_document(html) if html else "",
    }


# --- actions -----------------------------------------------------------------------------------


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


@require_POST
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(may_send(request.user))
    issue = get_object_or_404(Issue, pk=pk)
    handler = _ACTIONS.get(action)
    if handler is None:
        raise PermissionDenied
    handler(request, issue)
    return redirect("newsletter_issues:detail", issue.pk)


def _send_test(request: HttpRequest, issue: Issue) -> None:
    from masthead.newsletters.sending import send_test

    send_test(issue, request.user)
    messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": request.user.email})


def _schedule(request: HttpRequest, issue: Issue) -> None:
    if issue.status not in EDITABLE:
        messages.error(request, _("Only a draft or scheduled issue can be scheduled."))
        return
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a date and time to send it."))
        return
    zone = publication_zone()
    naive: datetime = form.cleaned_data["send_at"]
    if timezone.is_aware(naive):
        naive = timezone.make_naive(naive, zone)
    when = naive.replace(tzinfo=zone)
    if when <= timezone.now():
        messages.error(request, _("That time has passed: choose a later one, or send now."))
        return
    Issue.objects.filter(pk=issue.pk, status__in=EDITABLE).update(status=Issue.Status.SCHEDULED, send_at=when)
    messages.success(
        request,
        _("Scheduled for %(when)s (%(zone)s).")
        % {"when": when.strftime("%Y-%m-%d %H:%M"), "zone": str(zone)},
    )


def _send_now(request: HttpRequest, issue: Issue) -> None:
    if issue.status not in EDITABLE:
        messages.error(request, _("This issue is already sending or sent."))
        return
    from masthead.newsletters.sending import enqueue_issue

    enqueue_issue(issue)
    messages.success(
        request, _("Sending: the task worker is sending the issue now. Progress is shown below.")
    )


def _cancel(request: HttpRequest, issue: Issue) -> None:
    changed = Issue.objects.filter(pk=issue.pk, status=Issue.Status.SCHEDULED).update(
        status=Issue.Status.DRAFT, send_at=None
    )
    if changed:
        messages.success(request, _("No longer scheduled: the issue is a draft again."))
    else:
        messages.error(request, _("Only a scheduled issue can be unscheduled."))


_ACTIONS = {"test": _send_test, "schedule": _schedule, "send": _send_now, "unschedule": _cancel}
