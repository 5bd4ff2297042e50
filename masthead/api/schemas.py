"""What the API sends and accepts. Money is integer minor units plus an ISO 4217 currency code."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, ModelWrapValidatorHandler, model_validator
from pydantic_core import PydanticCustomError

# --- content -------------------------------------------------------------------------------


class RenditionOut(Schema):
    url: str
    width: int
    height: int


class ImageOut(Schema):
    alt: str
    renditions: list[RenditionOut] = Field(description="Smallest first; pick by width.")


class ParagraphBlockOut(Schema):
    type: Literal["paragraph"]
    html: str = Field(description="Sanitised rich text: p, a, b, i, ol, ul, li, sup, sub.")


class HeadingBlockOut(Schema):
    type: Literal["heading"]
    text: str


class ImageBlockOut(Schema):
    type: Literal["image"]
    image: ImageOut | None
    caption: str
    credit: str


class PullQuoteBlockOut(Schema):
    type: Literal["pull_quote"]
    quote: str
    attribution: str


class FactBoxBlockOut(Schema):
    type: Literal["fact_box"]
    title: str
    html: str


class RelatedArticleRefOut(Schema):
    id: int
    headline: str
    url: str


class RelatedArticleBlockOut(Schema):
    type: Literal["related_article"]
    article: RelatedArticleRefOut | None
    label: str


BlockOut = Annotated[
    ParagraphBlockOut
    | HeadingBlockOut
    | ImageBlockOut
    | PullQuoteBlockOut
    | FactBoxBlockOut
    | RelatedArticleBlockOut,
    Field(discriminator="type"),
]


class SectionOut(Schema):
    id: int
    title: str
    slug: str
    intro: str
    url: str


class SectionRefOut(Schema):
    id: int
    title: str
    slug: str


class TopicOut(Schema):
    id: int
    name: str
    slug: str
    description: str


class KickerOut(Schema):
    name: str
    slug: str


class AuthorOut(Schema):
    name: str
    slug: str
    role: str


class ArticleSummaryOut(Schema):
    id: int
    headline: str
    standfirst: str
    kicker: KickerOut | None
    section: SectionRefOut | None
    authors: list[AuthorOut]
    published_at: datetime | None
    updated_at: datetime | None
    access: Literal["metered", "free", "registered", "subscribers"] = Field(
        description="Sponsored articles are always free."
    )
    sponsor: str | None
    url: str = Field(description="The article on the web.")
    hero_image: ImageOut | None


class ArticleListOut(Schema):
    items: list[ArticleSummaryOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")


class OfferSummaryOut(Schema):
    headline: str = Field(description="Empty when nothing is open to this reader (see note).")
    price_text: str
    ends_at: datetime | None
    benefits: list[str]
    url: str
    kind: Literal["offer", "plan"] = Field(
        "offer", description="A dated offer, or a plan at its regular price (say Subscribe)."
    )
    note: str | None = Field(
        None, description="Why the featured offer is not shown to this reader (it is for new subscribers)."
    )


PromptStateOut = Literal[
    "metered-remaining",
    "metered-last",
    "registration-wall",
    "offer",
    "trial-expired",
    "access-expired",
    "subscribers-only",
]


class PaywallOut(Schema):
    state: PromptStateOut
    remaining: int | None = Field(description="Free metered articles left this period, if metered.")
    prompt: str = Field(description="What to tell the reader, in the requested language.")
    offer: OfferSummaryOut | None


class MeterNoticeOut(Schema):
    state: PromptStateOut
    remaining: int | None
    prompt: str


class ArticleDetailOut(ArticleSummaryOut):
    dateline: str
    hero_caption: str
    hero_credit: str
    granted: bool = Field(description="True: `body` is the whole article. False: the teaser only.")
    body: list[BlockOut]
    paywall: PaywallOut | None = Field(description="Set when the body is cut.")
    meter: MeterNoticeOut | None = Field(description="Set when this read counted against the meter.")


class SearchOut(Schema):
    items: list[ArticleSummaryOut]


# --- auth ----------------------------------------------------------------------------------

# No NUL characters anywhere: PostgreSQL cannot store or even compare them (a 500 otherwise).
NO_NUL = r"^[^\x00]*$"
Email = Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s\x00]+@[^@\s\x00]+$")]
DeviceName = Annotated[
    str, Field(max_length=100, pattern=NO_NUL, description="Shown under 'signed-in devices'.")
]


class JsonObjectIn(Schema):
    """A request body that must be a JSON object.

    Ninja's `Schema` validates through a wrap validator, `_run_root_validator`, that reads any
    value as an object's attributes (it is how output schemas read model instances), so `[]`,
    `"x"`, `1` or `null` would pass as an object whose fields all take their defaults — and
    `POST /auth/device` minted a token for them. A request body is parsed JSON, never a model
    instance: this validator takes that one's place (same name) and lets only JSON objects (or
    an instance built in code) through.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        if not isinstance(values, dict | cls):
            raise PydanticCustomError("json_object", "The request body must be a JSON object.")
        return handler(values)


class PasswordLoginIn(JsonObjectIn):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=1024, pattern=NO_NUL)]
    device_name: DeviceName = ""


class CodeRequestIn(JsonObjectIn):
    email: Email


class CodeVerifyIn(JsonObjectIn):
    email: Email
    code: Annotated[str, Field(min_length=1, max_length=12, pattern=NO_NUL)]
    device_name: DeviceName = ""


class DeviceIn(JsonObjectIn):
    device_name: DeviceName = ""


class DeviceOut(Schema):
    id: int
    device_name: str
    created_at: datetime
    last_used_at: datetime | None
    current: bool


class TokenOut(Schema):
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown once.")
    token_type: Literal["bearer"]
    anonymous: bool = Field(description="True for an anonymous device token.")
    device: DeviceOut


class MessageOut(Schema):
    message: str


# --- the reader ----------------------------------------------------------------------------


class EntitlementOut(Schema):
    kind: str
    starts_at: datetime
    ends_at: datetime | None


class MeterOut(Schema):
    limit: int
    read: int = Field(description="Metered articles read this period.")
    remaining: int
    period_ends_at: datetime | None


class MeOut(Schema):
    anonymous: bool
    email: str | None
    entitled: bool = Field(description="Reads every article in full (subscriber, trial, staff).")
    entitlements: list[EntitlementOut]
    meter: MeterOut | None = Field(description="Null for entitled readers, who are not metered.")


# --- offers --------------------------------------------------------------------------------


class MoneyOut(Schema):
    amount: int = Field(description="Integer minor units: 1500 is $15.00.")
    currency: str


class PlanOut(Schema):
    id: int
    name: str
    interval: str
    price: MoneyOut
    benefits: list[str]
    trial_days: int


class OfferOut(Schema):
    id: int
    plan_id: int
    headline: str
    intro_price: MoneyOut = Field(description="Per interval, during the introductory intervals.")
    intro_intervals: int
    starts_at: datetime
    ends_at: datetime
    featured: bool


class OffersOut(Schema):
    plans: list[PlanOut]
    offers: list[OfferOut]
    featured: OfferSummaryOut | None
