"""Newsletters: Newsletter → Issue → Recipient (one per issue and reader) → provider message.

The shared contract with the reader pages and the admin (see DESIGN.md, "Newsletters"). Each
recipient's copy is cut by the `access` decision (`rendering`); sending is claimed in batches and
resumable (`sending`); bounces and complaints land in `Suppression`, which every send respects.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

# What an issue's own text may use: the same for the e-mail (inline styles) and the web archive.
ISSUE_RICH_TEXT_FEATURES = ["bold", "italic", "link"]


class IssueImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=120)

    class Meta:
        icon = "image"


class IssueQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"


class IssueBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=ISSUE_RICH_TEXT_FEATURES)
    heading = blocks.CharBlock(label=_("heading"), max_length=200, icon="title")
    image = IssueImageBlock(label=_("image"))
    quote = IssueQuoteBlock(label=_("quote"))
    divider = blocks.StaticBlock(label=_("divider"), icon="horizontalrule", admin_text=_("A line across."))


class Newsletter(models.Model):
    class Audience(models.TextChoices):
        REGISTERED = "registered", _("Everyone registered")
        SUBSCRIBERS = "subscribers", _("Subscribers")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    sender_name = models.CharField(
        _("sender name"), max_length=120, blank=True, help_text=_("Blank: the publication's name.")
    )
    sender_email = models.EmailField(
        _("sender e-mail"), blank=True, help_text=_("Blank: the site's usual sending address.")
    )
    reply_to = models.EmailField(_("reply-to"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.REGISTERED
    )
    schedule = models.CharField(
        _("schedule"), max_length=120, blank=True, help_text=_("Shown to readers, e.g. “Weekdays at 7:00”.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    track_clicks = models.BooleanField(
        _("count clicks"),
        default=True,
        help_text=_("Links go through the site's own redirect, no third party."),
    )
    track_opens = models.BooleanField(
        _("count opens"),
        default=False,
        help_text=_(
            "Adds a one-pixel image; machine opens (Apple Mail Privacy Protection) are counted apart."
        ),
    )
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("newsletter")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class NewsletterSubscriptionQuerySet(models.QuerySet["NewsletterSubscription"]):
    def active(self) -> NewsletterSubscriptionQuerySet:
        return self.filter(unsubscribed_at__isnull=True)


class NewsletterSubscription(models.Model):
    class Source(models.TextChoices):
        ACCOUNT = "account", _("Account page")
        PUBLIC_PAGE = "public_page", _("Newsletters page")
        IMPORT = "import", _("Import")
        DEMO = "demo", _("Demo")
        ADMIN = "admin", _("Admin")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsletter_subscriptions"
    )
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(_("subscribed at"))
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.ACCOUNT)

    objects = NewsletterSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscription")
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "newsletter"], name="newsletters_one_subscription_per_reader"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "unsubscribed_at"], name="newsletters_sub_active")]

    def __str__(self) -> str:
        return f"{self.reader_id} → {self.newsletter_id}"

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="issues")
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(
        _("preheader"), max_length=200, blank=True, help_text=_("The line mail apps show after the subject.")
    )
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(
        IssueBodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("The issue's own text after the introduction: paragraphs, headings, images, quotes."),
    )
    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Send an article as an issue."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    recipients_total = models.PositiveIntegerField(_("recipients"), default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    in_doubt_count = models.PositiveIntegerField(
        _("in doubt"),
        default=0,
        help_text=_("Copies a worker handed over and died before the server or provider acknowledged them."),
    )

    class Meta:
        verbose_name = _("newsletter issue")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "send_at"], name="newsletters_issue_due")]

    def __str__(self) -> str:
        return self.subject

    def articles(self) -> list[Any]:
        """The issue's articles in order: the sent article first, then the linked stories."""
        found = []
        if self.article_id is not None and self.article is not None:
            found.append(self.article)
        for link in self.story_links.select_related("article").order_by("sort_order", "pk"):
            if link.article is not None and all(a.pk != link.article.pk for a in found):
                found.append(link.article)
        return found


class IssueStory(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="story_links")
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("linked story")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.issue_id}: {self.article_id}"


class Recipient(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLAIMED = "claimed", _("Claimed")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="recipients")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.CharField(_("e-mail"), max_length=320)
    reader_kind = models.CharField(_("reader kind"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_by = models.CharField(_("claimed by"), max_length=80, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # What the server or provider said it did with the copy: the relay's "250" line (its queue id)
    # or the provider's acceptance. Empty while unacknowledged.
    accepted_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    relay_reply = models.CharField(_("server's acknowledgement"), max_length=200, blank=True)
    # The provider batch call this copy went out in (committed before the call).
    batch_id = models.CharField(_("provider batch"), max_length=80, blank=True)
    # A worker died while this copy was with the server/provider, unacknowledged (see `sending`).
    in_doubt = models.BooleanField(_("in doubt"), default=False)
    skip_reason = models.CharField(_("skip reason"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("recipient")
        constraints = [
            models.UniqueConstraint(fields=["issue", "reader"], name="newsletters_one_copy_per_reader")
        ]
        indexes = [
            models.Index(fields=["issue", "status"], name="newsletters_rcpt_status"),
            models.Index(fields=["provider_message_id"], name="newsletters_rcpt_msgid"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class Suppression(models.Model):
    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Bounced")
        COMPLAINT = "complaint", _("Complaint")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")
        MANUAL = "manual", _("Added by staff")

    email = models.CharField(_("e-mail"), max_length=320, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class DeliveryEvent(models.Model):
    class Kind(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complaint")
        OPENED = "opened", _("Opened")
        MACHINE_OPEN = "machine_open", _("Machine open")
        CLICKED = "clicked", _("Clicked")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    at = models.DateTimeField(_("at"))
    provider_event_id = models.CharField(_("provider event id"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("delivery event")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_event_id"],
                condition=~Q(provider_event_id=""),
                name="newsletters_event_once",
            )
        ]
        indexes = [models.Index(fields=["issue", "kind"], name="newsletters_event_issue_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
