"""The experiment's results page and its three actions (start, stop, stop and roll out)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masthead.analytics.experiments import services
from masthead.analytics.experiments.models import Experiment, Status
from masthead.analytics.experiments.planning import plan
from masthead.analytics.experiments.results import SRM_THRESHOLD, experiment_results

BAR_WIDTH = 360


def may_view(user: Any) -> bool:
    return bool(
        user.is_active
        and (user.has_perm("experiments.view_experiment") or user.has_perm("experiments.change_experiment"))
    )


def may_change(user: Any) -> bool:
    return bool(user.is_active and user.has_perm("experiments.change_experiment"))


def results(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_view(request.user):
        raise PermissionDenied
    experiment = get_object_or_404(Experiment.objects.prefetch_related("variants__offer"), pk=pk)
    figures = experiment_results(experiment)
    top = max([v.ci_high for v in figures.variants] + [0.0001])
    bars = [
        {
            "variant": v,
            "y": 28 + i * 44,
            "width": round(BAR_WIDTH * v.rate / top, 1),
            "low": round(BAR_WIDTH * v.ci_low / top, 1),
            "high": round(BAR_WIDTH * v.ci_high / top, 1),
            "observed": _percent(figures.fraction_of(v)),
            "expected": _percent(v.expected_fraction),
            "rate": _percent(v.rate, 2),
            "ci": f"{_percent(v.ci_low, 2)} – {_percent(v.ci_high, 2)}",
            "lift": "—" if v.lift is None else f"{v.lift * 100:+.1f}\u00a0%",
            "p": _p_text(v.p_value),
            "registration_rate": _percent(v.registration_rate, 2),
            "subscription_rate": _percent(v.subscription_rate, 2),
            "views_per_reader": f"{v.views_per_reader:.2f}",
            "revenue": f"{v.revenue_minor / 100:,.2f}",
            "rpv": f"{v.revenue_per_reader_minor / 100:.3f}",
        }
        for i, v in enumerate(figures.variants)
    ]
    context = {
        "experiment": experiment,
        "figures": figures,
        "bars": bars,
        "chart_height": 28 + 44 * len(bars),
        "bar_width": BAR_WIDTH,
        "srm_threshold": SRM_THRESHOLD,
        "may_change": may_change(request.user),
        "leader": figures.leader,
        "srm_p": _p_text(figures.srm_p),
        "plan": _plan(request, experiment),
    }
    return TemplateResponse(request, "experiments/results.html", context)


def _plan(request: HttpRequest, experiment: Experiment) -> dict[str, Any]:
    try:
        lift = min(max(float(request.GET.get("lift", "20")), 1.0), 500.0) / 100
    except ValueError:
        lift = 0.2
    shares = [v.share for v in experiment.variants.all()]
    found = plan(metric=experiment.primary_metric, shares=shares, relative_lift=lift)
    return {
        "plan": found,
        "lift": round(lift * 100),
        "baseline": _percent(found.baseline_rate, 2),
        "per_day": f"{found.readers_per_day:,.0f}",
    }


def _p_text(p: float | None) -> str:
    if p is None:
        return "—"
    return f"{p:.4f}" if p >= 0.0001 else f"{p:.1e}"


def _percent(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}\u00a0%"


@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    if not may_change(request.user):
        raise PermissionDenied
    experiment = get_object_or_404(Experiment, pk=pk)
    try:
        if name == "start":
            services.start_experiment(experiment=experiment, user=request.user)
            messages.success(request, _("The experiment is running: readers are being assigned."))
        elif name == "stop":
            services.stop_experiment(experiment=experiment, user=request.user)
            messages.success(
                request, _("The experiment is stopped: every reader gets the site's rule again.")
            )
        elif name == "roll-out":
            variant = services.roll_out(
                experiment=experiment, variant_key=request.POST.get("variant", ""), user=request.user
            )
            messages.success(
                request,
                _("Variant %(key)s is now the site's rule for every reader; the experiment is stopped.")
                % {"key": variant.key},
            )
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("experiment_results", args=[experiment.pk]))


__all__ = ["Status", "action", "results"]
