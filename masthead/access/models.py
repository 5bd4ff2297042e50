"""What a reader is entitled to and when that ends; the meter's settings and its counted reads;
the paywall prompts staff can reword. Billing grants and ends entitlements through
`masthead.access.entitlements`; nothing else writes them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from masthead.access.periods import CALENDAR_MONTH, ROLLING_DAYS
from masthead.access.policy import PromptState


class EntitlementKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription")
    TRIAL = "trial", _("Trial")
    COMPLIMENTARY = "complimentary", _("Complimentary")
    GROUP = "group", _("Group or corporate")


class Entitlement(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entitlements")
    kind = models.CharField(_("kind"), max_length=16, choices=EntitlementKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, help_text=_("Empty: open-ended."))
    source_ref = models.CharField(
        _("source reference"),
        max_length=200,
        blank=True,
        help_text=_("Where this came from: a Stripe subscription id, an invoice number, a note."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "ends_at"])]
        verbose_name = _("entitlement")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} from {self.starts_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.ends_at is not None and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An entitlement must end after it starts.")})


class MeterPeriodKind(models.TextChoices):
    CALENDAR_MONTH = CALENDAR_MONTH, _("Calendar month in the publication's time zone")
    ROLLING_DAYS = ROLLING_DAYS, _("Rolling window of N days")


@register_setting(icon="lock")
class MeterSettings(BaseSiteSetting):
    period = models.CharField(
        _("meter period"),
        max_length=20,
        choices=MeterPeriodKind.choices,
        default=CALENDAR_MONTH,
        help_text=_(
            "How free articles are counted. Calendar month: every reader's allowance starts again "
            "on the 1st, at midnight in the publication's time zone (Settings → Publication), and "
            "the prompts say 'this month'. Rolling window: only the articles read in the last N days "
            "count, and the prompts say 'in the last N days'."
        ),
    )
    rolling_days = models.PositiveSmallIntegerField(
        _("days in the rolling window"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("Used only with a rolling window: a read older than this many days no longer counts."),
    )
    anonymous_limit = models.PositiveSmallIntegerField(
        _("free articles for anonymous readers"),
        default=3,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Metered articles a reader who is not signed in may read in each period; the next one "
            "shows the registration wall. Free and sponsored articles never count, and re-reading an "
            "article already counted in the period is free."
        ),
    )
    registered_limit = models.PositiveSmallIntegerField(
        _("free articles for registered readers"),
        default=5,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Metered articles a signed-in reader without a subscription may read in each period, "
            "once their e-mail address is confirmed; the next one shows the current offer. "
            "Subscribers and trialists are never counted."
        ),
    )
    teaser_blocks = models.PositiveSmallIntegerField(
        _("teaser length (blocks)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "How many body blocks (paragraphs, photos, quotes, fact boxes) a reader without access "
            "sees under the headline and standfirst before the paywall. The teaser is never more "
            "than half of a story, rounded down: with 3, a story of 10 blocks shows 3, a story of 5 "
            "blocks shows 2, and a story of one block shows none of its body."
        ),
    )
    new_readers_per_address = models.PositiveIntegerField(
        _("new anonymous readers per address per day"),
        default=50,
        validators=[MaxValueValidator(1_000_000)],
        help_text=_(
            "How many fresh anonymous meters one address (IPv4 address, IPv6 /64) may start in a "
            "day; past it, a reader without a meter cookie meets the registration wall. Offices, "
            "universities and mobile carriers put many readers behind one address, so keep it "
            "generous. 0 turns the cap off."
        ),
    )
    new_reader_exempt_networks = models.TextField(
        _("networks without a cap on new readers"),
        blank=True,
        help_text=_(
            "One network per line, e.g. 203.0.113.0/24 for an office or a university; text after "
            "# is a note. Verified crawler networks are always exempt."
        ),
    )

    panels = [
        MultiFieldPanel([FieldPanel("period"), FieldPanel("rolling_days")], heading=_("Period")),
        MultiFieldPanel(
            [FieldPanel("anonymous_limit"), FieldPanel("registered_limit"), FieldPanel("teaser_blocks")],
            heading=_("Limits"),
        ),
        MultiFieldPanel(
            [FieldPanel("new_readers_per_address"), FieldPanel("new_reader_exempt_networks")],
            heading=_("New anonymous readers"),
        ),
    ]

    class Meta:
        verbose_name = _("meter")

    def clean(self) -> None:
        from masthead.access.new_readers import ExemptNetworkError, parse_networks

        try:
            parse_networks(self.new_reader_exempt_networks.splitlines())
        except ExemptNetworkError as exc:
            raise ValidationError({"new_reader_exempt_networks": str(exc)}) from exc


class MeterRead(models.Model):
    """One metered article counted for one reader in one period. The unique row is what makes
    a re-read free and a double count impossible."""

    reader_key = models.CharField(max_length=64)  # "u:<user id>" or "a:<anonymous id>"
    period_key = models.CharField(max_length=16)  # "2026-11" or "rolling"
    article_id = models.BigIntegerField()  # no foreign key: access depends on no feature app
    read_at = models.BigIntegerField(help_text="Unix seconds (UTC); rolling windows compare it.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reader_key", "period_key", "article_id"], name="access_meter_read_once"
            )
        ]
        indexes = [models.Index(fields=["reader_key", "period_key", "read_at"])]

    def __str__(self) -> str:
        return f"{self.reader_key} read {self.article_id} in {self.period_key}"


PROMPT_STATE_CHOICES = [(state.value, state.value) for state in PromptState]


class PromptText(models.Model):
    """A staff rewording of one paywall prompt in one language; without one, the translated
    default is shown."""

    state = models.CharField(_("prompt"), max_length=32, choices=PROMPT_STATE_CHOICES)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    singular = models.TextField(
        _("text"),
        help_text=_(
            "Variables: {remaining}, {limit}, {publication}, {period}. For counts, this is the "
            "text for exactly one article."
        ),
    )
    plural = models.TextField(
        _("text for several articles"),
        blank=True,
        help_text=_("Used when {remaining} is not 1. Leave empty to use the text above."),
    )

    panels = [FieldPanel("state"), FieldPanel("language"), FieldPanel("singular"), FieldPanel("plural")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state", "language"], name="access_prompt_text_once")]
        ordering = ["state", "language"]
        verbose_name = _("paywall prompt")

    def __str__(self) -> str:
        return f"{self.state} ({self.language})"

    def clean(self) -> None:
        from masthead.access.prompts import template_errors

        errors = {}
        for field in ("singular", "plural"):
            problem = template_errors(getattr(self, field))
            if problem:
                errors[field] = problem
        if errors:
            raise ValidationError(errors)
