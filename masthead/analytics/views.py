"""The analytics dashboard in the Wagtail admin, its CSV downloads and the funnel JSON endpoint.

Staff with the "view analytics" permission only (superusers have every permission).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from masthead.analytics import charts, revenue
from masthead.analytics.funnel import (
    API_CUTS,
    CUTS,
    STEPS,
    Articles,
    cut_labels,
    funnel,
    page_slices,
    rates,
    stories,
)
from masthead.analytics.rollup import zone

PERMISSION = "analytics.view_analytics"
MAX_DAYS = 731


class BadRequest(ValueError):
    pass


def may_view(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def analytics_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_view(request.user):
            # A plain 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
            message = _("You need the “view analytics” permission to see this.")
            if request.path.endswith(".json"):
                return JsonResponse({"error": message}, status=403)
            return render(
                request, "analytics/dashboard.html", {"error": message, "forbidden": True}, status=403
            )
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def date_range(
    request: HttpRequest, *, allowed_cuts: tuple[str, ...] = CUTS
) -> tuple[date, date, str | None]:
    today = timezone.now().astimezone(zone()).date()
    try:
        end = date.fromisoformat(request.GET["end"]) if request.GET.get("end") else today
        start = (
            date.fromisoformat(request.GET["start"]) if request.GET.get("start") else end - timedelta(days=29)
        )
    except ValueError as exc:
        raise BadRequest(_("Dates must be written YYYY-MM-DD, e.g. 2026-03-31.")) from exc
    if start > end:
        raise BadRequest(_("The start date must not be after the end date."))
    if (end - start).days >= MAX_DAYS:
        raise BadRequest(_("Choose a range of at most %(days)s days.") % {"days": MAX_DAYS})
    by = request.GET.get("by") or None
    if by is not None and by not in allowed_cuts:
        raise BadRequest(_("“by” must be one of: %(cuts)s.") % {"cuts": ", ".join(allowed_cuts)})
    return start, end, by


@analytics_staff
def funnel_json(request: HttpRequest) -> HttpResponse:
    try:
        start, end, by = date_range(request, allowed_cuts=API_CUTS)
    except BadRequest as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    unknown = set(request.GET) - {"start", "end", "by"}
    if unknown:
        return JsonResponse(
            {"error": _("Unknown parameter(s): %(names)s.") % {"names": ", ".join(sorted(unknown))}},
            status=400,
        )
    return JsonResponse(funnel(start, end, by))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=zone())


def build(start: date, end: date, by: str) -> dict[str, Any]:
    """Everything the dashboard and its CSV files show, for one range and one cut."""
    tz = zone()
    articles = Articles()
    read = page_slices(start, end, by)
    counts = funnel(start, end, by, articles=articles, read=read)
    step_labels = {
        "views": _("Article views"),
        "wall_impressions": _("Wall impressions"),
        "registrations": _("Registrations"),
        "checkouts": _("Checkouts"),
        "subscriptions": _("New subscribers"),
    }
    step_rates = rates(counts)
    steps = [
        {
            "key": s,
            "label": step_labels[s],
            "count": counts[s],
            "rate": step_rates.get(s),
            "rate_text": _percent(step_rates.get(s)),
        }
        for s in STEPS
    ]
    range_start, range_end = _local_midnight(start), _local_midnight(end + timedelta(days=1))
    summary = revenue.summary(range_start, range_end)
    currency = max(summary.mrr, key=lambda c: summary.mrr[c]) if summary.mrr else ""
    cash = summary.revenue.get(currency, 0)
    per_thousand = Decimal(cash) * 1000 / counts["views"] if counts["views"] else None
    step = 1 if (end - start).days <= 62 else 7
    points = revenue.days_between(start, end, step)
    series = revenue.mrr_series([_local_midnight(d + timedelta(days=1)) for d in points])
    months = revenue.month_starts(min(start, revenue.add_months(end.replace(day=1), -5)), end)
    flows = revenue.flows_by_month(months, tz)
    cohorts = revenue.cohorts(tz=tz)
    return {
        "start": start,
        "end": end,
        "by": by,
        "cuts": list(cut_labels().items()),
        "cut_label": cut_labels()[by],
        "steps": steps,
        "rows": counts["rows"][:50],
        "stories": stories(start, end, articles=articles, read=read),
        "summary": summary,
        "currency": currency,
        "revenue_per_thousand": per_thousand,
        "mrr_points": [
            {"day": d, "mrr": m.get(currency, Decimal(0))} for d, (_p, m) in zip(points, series, strict=True)
        ],
        "flows": flows,
        "cohorts": cohorts,
        "cohort_months": list(range(1, 7)),
    }


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def money(minor: Decimal | int | None) -> str:
    if minor is None:
        return "–"
    return f"{Decimal(minor) / 100:,.2f}"


def charts_for(data: dict[str, Any]) -> dict[str, Any]:
    steps = data["steps"]
    return {
        "funnel": charts.bars(
            "chart-funnel",
            _("Funnel"),
            _("Article views to new subscribers, %(start)s to %(end)s; the numbers are in the table beside.")
            % {"start": data["start"], "end": data["end"]},
            [s["label"] for s in steps],
            [[s["count"] for s in steps]],
        ),
        "mrr": charts.line(
            "chart-mrr",
            _("Monthly recurring revenue"),
            _("MRR in %(currency)s at the end of each day; the numbers are in the table beside.")
            % {"currency": data["currency"] or "–"},
            [p["day"].strftime("%d %b") for p in data["mrr_points"]],
            [float(p["mrr"]) / 100 for p in data["mrr_points"]],
        ),
        "flows": charts.bars(
            "chart-flows",
            _("New and churned subscribers"),
            _("Per month, new subscribers (first bar) and churned subscribers (second bar)."),
            [f["month"].strftime("%b %Y") for f in data["flows"]],
            [[f["new"] for f in data["flows"]], [f["churned"] for f in data["flows"]]],
            series_names=[_("New"), _("Churned")],
        ),
    }


@analytics_staff
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        start, end, by = date_range(request)
    except BadRequest as exc:
        return render(request, "analytics/dashboard.html", {"error": str(exc)}, status=400)
    data = build(start, end, by or "article")
    data["charts"] = charts_for(data)
    data["money"] = {
        "mrr": money(data["summary"].mrr.get(data["currency"])),
        "arpu": money(data["summary"].arpu.get(data["currency"])),
        "revenue": money(data["summary"].revenue.get(data["currency"], 0)),
        "refunds": money(data["summary"].refunds.get(data["currency"], 0)),
        "per_thousand": money(data["revenue_per_thousand"]),
    }
    for point in data["mrr_points"]:
        point["money"] = money(point["mrr"])
    query = f"start={start.isoformat()}&end={end.isoformat()}&by={data['by']}"
    data["query"] = query
    return render(request, "analytics/dashboard.html", data)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def tables(data: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    steps = [s["key"] for s in data["steps"]]
    story_fields = [
        "views",
        "wall_impressions",
        "registrations_last",
        "subscriptions_last",
        "registrations_first",
        "subscriptions_first",
    ]
    story_header = [
        "article_id",
        "title",
        "views",
        "wall_impressions",
        "registrations_last_touch",
        "subscriptions_last_touch",
        "registrations_first_touch",
        "subscriptions_first_touch",
    ]
    mrr_column = f"mrr_{data['currency'].lower() or 'minor'}"
    cohort_header = ["start_month", "started", *[f"month_{k}" for k in data["cohort_months"]]]
    return {
        "funnel": (
            ["step", "count", "rate_from_previous"],
            [[s["key"], s["count"], _pct(s["rate"])] for s in data["steps"]],
        ),
        "cuts": (
            ["key", "label", *steps],
            [[r["key"], r["label"], *[r[s] for s in steps]] for r in data["rows"]],
        ),
        "stories": (
            story_header,
            [[r["article_id"], r["title"], *[r[f] for f in story_fields]] for r in data["stories"]],
        ),
        "mrr": (["day", mrr_column], [[p["day"].isoformat(), money(p["mrr"])] for p in data["mrr_points"]]),
        "flows": (
            ["month", "new", "churned"],
            [[f["month"].strftime("%Y-%m"), f["new"], f["churned"]] for f in data["flows"]],
        ),
        "cohorts": (
            cohort_header,
            [
                [c["month"].strftime("%Y-%m"), c["started"], *[_pct(v) for v in c["retained"]]]
                for c in data["cohorts"]
            ],
        ),
    }


@analytics_staff
def csv_download(request: HttpRequest, table: str) -> HttpResponse:
    try:
        start, end, by = date_range(request)
    except BadRequest as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    all_tables = tables(build(start, end, by or "article"))
    if table not in all_tables:
        return HttpResponse(_("No such table."), status=404, content_type="text/plain; charset=utf-8")
    header, rows = all_tables[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="analytics-{table}-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
