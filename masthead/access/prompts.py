"""What the paywall says: translated defaults, staff rewordings, and their variables."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import get_language, gettext, ngettext

from masthead.access.offers import OfferSummary
from masthead.access.paywall_config import PaywallConfig
from masthead.access.periods import ROLLING_DAYS
from masthead.access.policy import PromptState

VARIABLES = ("remaining", "limit", "publication", "period")


@dataclass(frozen=True)
class Prompt:
    state: PromptState
    text: str
    remaining: int | None = None
    offer: OfferSummary | None = None
    publication: str = ""
    time_zone: str = "UTC"  # offer end dates are shown in the publication's zone

    @property
    def css_state(self) -> str:
        return self.state.value

    @property
    def is_metered(self) -> bool:
        return self.state in (PromptState.METERED_REMAINING, PromptState.METERED_LAST)

    @property
    def is_wall(self) -> bool:
        return not self.is_metered

    @property
    def wants_registration(self) -> bool:
        return self.state is PromptState.REGISTRATION_WALL

    @property
    def shows_offer(self) -> bool:
        return self.state in (
            PromptState.OFFER,
            PromptState.TRIAL_EXPIRED,
            PromptState.ACCESS_EXPIRED,
            PromptState.SUBSCRIBERS_ONLY,
        )


def template_errors(template: str) -> str | None:
    """Why a staff-written prompt cannot be used, in words an editor understands; None if fine."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return gettext(
            "The text has an unmatched curly brace. Write variables like {remaining}; "
            "write a literal brace as {{ or }}."
        )
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in VARIABLES:
            return gettext("Unknown variable {%(name)s}. You can use: %(known)s.") % {
                "name": name,
                "known": ", ".join("{" + v + "}" for v in VARIABLES),
            }
        if spec or conversion:
            return gettext("Write variables plainly, like {remaining}, without formatting after them.")
    return None


def period_phrase(*, config: PaywallConfig) -> str:
    if config.period == ROLLING_DAYS:
        return ngettext("in the last %(days)d day", "in the last %(days)d days", config.rolling_days) % {
            "days": config.rolling_days
        }
    return gettext("this month")


def _default_text(state: PromptState, count: int) -> str:
    # Each default is a gettext call in full so makemessages finds it.
    defaults: dict[PromptState, Callable[[], str]] = {
        PromptState.METERED_REMAINING: lambda: ngettext(
            "You have {remaining} free article left {period}.",
            "You have {remaining} free articles left {period}.",
            count,
        ),
        PromptState.METERED_LAST: lambda: gettext("This is your last free article {period}."),
        PromptState.REGISTRATION_WALL: lambda: gettext(
            "You have read your free articles {period}. Register for free to keep reading {publication}."
        ),
        PromptState.OFFER: lambda: gettext(
            "You have read all your free articles {period}. Subscribe to {publication} for unlimited access."
        ),
        PromptState.TRIAL_EXPIRED: lambda: gettext("Your trial period has expired."),
        PromptState.ACCESS_EXPIRED: lambda: gettext("Your full access to {publication} has expired."),
        PromptState.SUBSCRIBERS_ONLY: lambda: gettext("This article is for {publication} subscribers."),
        PromptState.METER_UNAVAILABLE: lambda: gettext(
            "We cannot check your free articles right now, so only the beginning of this article "
            "is shown. Please try again in a moment."
        ),
    }
    return defaults[state]()


def prompt_text(
    *, state: PromptState, config: PaywallConfig, remaining: int | None, limit: int | None
) -> str:
    count = remaining if remaining is not None else 0
    language = (get_language() or "en").split("-")[0]
    override = config.prompt_texts.get((state.value, language))
    if override is not None:
        singular, plural = override
        template = singular if count == 1 or not plural else plural
    else:
        template = _default_text(state, count)
    values = {
        "remaining": str(count),
        "limit": str(limit if limit is not None else ""),
        "publication": config.publication,
        "period": period_phrase(config=config),
    }
    if template_errors(template):
        # Saved before validation existed or edited in the database: show the default instead
        # of a broken sentence.
        template = _default_text(state, count)
    return template.format_map(values)


def build_prompt(
    *,
    state: PromptState,
    config: PaywallConfig,
    remaining: int | None,
    limit: int | None,
    offer: OfferSummary | None,
) -> Prompt:
    return Prompt(
        state=state,
        text=prompt_text(state=state, config=config, remaining=remaining, limit=limit),
        remaining=remaining,
        offer=offer,
        publication=config.publication,
        time_zone=config.time_zone,
    )
