"""What an editor does to an experiment: start it, stop it, roll out its winner. Each is logged in
Wagtail's history (who, when, what), and each starts a new generation so every worker obeys it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Site

from masthead.analytics.experiments.models import Experiment, Status, Variant


def start_experiment(*, experiment: Experiment, user: Any = None, now: datetime | None = None) -> Experiment:
    variants = list(experiment.variants.all())
    if experiment.status != Status.DRAFT:
        raise ValidationError(_("Only a draft experiment can be started."))
    if not 2 <= len(variants) <= 4:
        raise ValidationError(_("An experiment needs two to four variants."))
    site = site_of(experiment)
    same_site = Q(site=site) | Q(site__isnull=True) if site.is_default_site else Q(site=site)
    with transaction.atomic():
        others = Experiment.objects.select_for_update().filter(same_site, status=Status.RUNNING)
        if others.exclude(pk=experiment.pk).exists():
            raise ValidationError(
                _("Another experiment is running on this site: stop it first (two rules would collide).")
            )
        experiment.status = Status.RUNNING
        experiment.started_at = now or timezone.now()
        experiment.save(update_fields=["status", "started_at"])
        log(experiment, "experiments.start", user=user)
    return experiment


def stop_experiment(*, experiment: Experiment, user: Any = None, now: datetime | None = None) -> Experiment:
    if experiment.status != Status.RUNNING:
        raise ValidationError(_("Only a running experiment can be stopped."))
    with transaction.atomic():
        experiment.status = Status.STOPPED
        experiment.stopped_at = now or timezone.now()
        experiment.save(update_fields=["status", "stopped_at"])
        log(experiment, "experiments.stop", user=user)
    return experiment


def roll_out(
    *, experiment: Experiment, variant_key: str, user: Any = None, now: datetime | None = None
) -> Variant:
    """Write the winning variant's rule into the site's meter settings and stop the experiment."""
    from masthead.access.models import MeterSettings

    variant = experiment.variants.filter(key=variant_key).first()
    if variant is None:
        raise ValidationError(_("This experiment has no variant %(key)s.") % {"key": variant_key})
    now = now or timezone.now()
    with transaction.atomic():
        if experiment.status == Status.RUNNING:
            stop_experiment(experiment=experiment, user=user, now=now)
        elif experiment.status == Status.DRAFT:
            raise ValidationError(_("A draft experiment has no winner yet."))
        changes = variant.changes()
        if changes:
            meter = MeterSettings.for_site(site_of(experiment))
            for name, value in changes.items():
                setattr(meter, name, value)
            meter.save()  # the paywall settings' own signal starts a new generation
        if variant.offer_id is not None:
            feature_offer(experiment=experiment, offer_id=variant.offer_id)
            changes = {**changes, "offer_id": variant.offer_id}
        experiment.winner = variant.key
        experiment.rolled_out_at = now
        experiment.save(update_fields=["winner", "rolled_out_at"])
        log(experiment, "experiments.roll_out", user=user, data={"variant": variant.key, "changes": changes})
    return variant


def feature_offer(*, experiment: Experiment, offer_id: int) -> None:
    """The winner's offer becomes the site's featured offer in place of the one the control kept
    (and of the other variants' offers): saved one by one, so billing's signal drops the kept panel."""
    from masthead.billing.models import Offer

    others = {v.offer_id for v in experiment.variants.all() if v.offer_id not in (None, offer_id)}
    for offer in Offer.objects.filter(Q(pk__in={offer_id, *others}) | Q(featured=True)):
        featured = offer.pk == offer_id
        if offer.featured != featured:
            offer.featured = featured
            offer.save(update_fields=["featured"])


def site_of(experiment: Experiment) -> Site:
    if experiment.site_id is not None:
        return experiment.site
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise ValidationError(_("There is no default site to run the experiment on."))
    return site
