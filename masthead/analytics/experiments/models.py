"""Experiments on the paywall: an editor tries a different meter limit, teaser length or featured
offer on a share of readers, and keeps the one that makes more readers register or subscribe.

An experiment has 2–4 variants, each with a share of the traffic (weights) and the rule it changes;
an empty field keeps the site's own setting, so the control variant usually changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    RUNNING = "running", _("running")
    STOPPED = "stopped", _("stopped")


class Metric(models.TextChoices):
    REGISTRATIONS = "registrations", _("registrations per reader")
    SUBSCRIPTIONS = "subscriptions", _("paid subscriptions per reader")


class ExperimentForm(WagtailAdminModelForm):
    """A running experiment keeps its slug and variants: a new share or rule would move readers
    from one variant to another mid-way (what they read would flicker, and the figures mix)."""

    def clean(self) -> dict[str, object]:
        cleaned: dict[str, object] = super().clean()
        if self.instance.pk and self.instance.status == Status.RUNNING:
            variants = self.formsets.get("variants")
            if "slug" in self.changed_data or (variants is not None and variants.has_changed()):
                raise ValidationError(
                    _(
                        "This experiment is running: its slug and variants cannot change (readers would "
                        "move between variants). Stop it and start a new one instead."
                    )
                )
        return cleaned


class Experiment(ClusterableModel):
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("The site whose readers take part; empty: the default site."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=64,
        unique=True,
        help_text=_("Recorded on every event of a reader in the experiment; never change it once running."),
    )
    name = models.CharField(_("name"), max_length=120)
    hypothesis = models.TextField(
        _("hypothesis"),
        blank=True,
        help_text=_("What you expect and why, e.g. 'One free article fewer makes more readers register.'"),
    )
    primary_metric = models.CharField(
        _("primary metric"), max_length=16, choices=Metric.choices, default=Metric.REGISTRATIONS
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    winner = models.CharField(_("rolled-out variant"), max_length=32, blank=True, default="")
    rolled_out_at = models.DateTimeField(_("rolled out at"), null=True, blank=True)

    base_form_class = ExperimentForm

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("hypothesis"), FieldPanel("site")],
            heading=_("Experiment"),
        ),
        FieldPanel("primary_metric"),
        InlinePanel("variants", label=_("Variants"), min_num=2, max_num=4),
    ]

    class Meta:
        verbose_name = _("paywall experiment")
        verbose_name_plural = _("paywall experiments")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_running(self) -> bool:
        return self.status == Status.RUNNING


class Variant(Orderable):
    experiment = ParentalKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    key = models.SlugField(
        _("key"), max_length=32, help_text=_("Short and stable, e.g. 'control' or 'limit-2'.")
    )
    label = models.CharField(_("label"), max_length=120, blank=True)
    share = models.PositiveSmallIntegerField(
        _("share of readers"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("A weight: 50 and 50 split readers evenly, 80 and 20 put four in five in the first."),
    )
    anonymous_limit = models.PositiveSmallIntegerField(
        _("free articles for anonymous readers"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: the site's setting."),
    )
    registered_limit = models.PositiveSmallIntegerField(
        _("free articles for registered readers"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: the site's setting."),
    )
    teaser_blocks = models.PositiveSmallIntegerField(
        _("teaser length (blocks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Empty: the site's setting."),
    )

    offer = models.ForeignKey(
        "billing.Offer",
        verbose_name=_("featured offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The offer this variant's readers are shown on the wall and first on the subscribe page "
            "(the other variants' offers are kept from them). Empty: the site's featured offer."
        ),
    )

    panels = [
        FieldPanel("key"),
        FieldPanel("label"),
        FieldPanel("share"),
        FieldPanel("anonymous_limit"),
        FieldPanel("registered_limit"),
        FieldPanel("teaser_blocks"),
        FieldPanel("offer"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("variant")
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="experiments_variant_key_unique")
        ]

    def __str__(self) -> str:
        return self.label or self.key

    def clean(self) -> None:
        if self.key and self.key != self.key.lower():
            raise ValidationError({"key": _("Use lower-case letters, digits and hyphens.")})

    def changes(self) -> dict[str, int]:
        """The settings this variant changes, by MeterSettings field name."""
        names = ("anonymous_limit", "registered_limit", "teaser_blocks")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


class ReaderUnit(models.Model):
    """The key an account is assigned by: the anonymous id it first signed in with, so a reader
    keeps their variant when they register or sign in. Deleted with the account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiment_unit"
    )
    unit = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.user_id}"
