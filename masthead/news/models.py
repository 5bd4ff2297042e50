"""The newsroom's content: front page, sections, articles, topics (kickers) and authors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

from masthead.access.cut import teaser_length
from masthead.core.page_cache import mark_public
from masthead.core.site_url import SiteAddressedPage
from masthead.news.blocks import ArticleBodyBlock
from masthead.news.editor import ACCESS_HELP, SPONSOR_HELP, ArticlePageForm, BylinesPanel, SameHeadlinePanel
from masthead.news.expiry import GoneAtExpiry, still_running
from masthead.news.routing import SnapshotViewRestrictions, routed_article

SECTION_PAGE_SIZE = 12


class AccessLevel(models.TextChoices):
    # In the order an editor reads them: from open to everyone to subscribers only.
    FREE = "free", _("Free to everyone")
    METERED = "metered", _("Metered (counts against the free allowance)")
    REGISTERED = "registered", _("Registered readers (free with a confirmed account)")
    SUBSCRIBERS = "subscribers", _("Subscribers only")


@register_snippet
class Topic(index.Indexed, models.Model):
    """A running story or theme, shown as the kicker above a headline."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:topic", kwargs={"slug": self.slug})


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    role = models.CharField(_("role"), max_length=120, blank=True, help_text=_("e.g. Diplomatic editor"))
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = models.TextField(_("biography"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:author", kwargs={"slug": self.slug})


def listing_renditions() -> Any:
    from masthead.news.renditions import LISTING_SPECS, renditions_prefetch

    return renditions_prefetch("hero_image__renditions", LISTING_SPECS)


class ArticleQuerySet(PageQuerySet):
    def not_expired(self) -> ArticleQuerySet:
        # Live but past expire_at: gone for readers now, before the scheduler unpublishes it.
        return self.filter(still_running())

    def for_listing(self) -> ArticleQuerySet:
        """Everything a teaser card shows, in a fixed number of queries."""
        return (
            self.live()
            .public()
            .not_expired()
            .select_related("kicker", "hero_image", "sponsor")
            .prefetch_related("bylines__author", listing_renditions())
            .defer_streamfields()
            .order_by("-first_published_at", "-pk")
        )


class HomePage(SiteAddressedPage, SnapshotViewRestrictions, Page):
    """The front page: lead story, top stories per section, latest news."""

    lead_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead story"),
        help_text=_("The story at the top of the front page. Leave empty to lead with the newest article."),
    )

    content_panels = [
        TitleFieldPanel("title", heading=_("Publication name"), placeholder=_("Publication name*")),
        FieldPanel("lead_story"),
    ]
    subpage_types = ["news.SectionPage", "pages.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("front page")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # An article's URL names its whole route: find it in one step (see news.routing).
        article = routed_article(request=request, home=self, path_components=path_components)
        if article is not None:
            return RouteResult(article)
        return super().route(request, path_components)  # type: ignore[no-any-return]

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The same front page for every anonymous reader: shared caches may keep it briefly.
        return mark_public(request, super().serve(request, *args, **kwargs))

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from masthead.news.selectors import front_page_stories

        context = super().get_context(request, *args, **kwargs)
        context.update(front_page_stories(home=self))
        return context


class SectionPage(SiteAddressedPage, GoneAtExpiry, SnapshotViewRestrictions, Page):
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences shown under the section name on the section page."),
    )

    content_panels = [
        TitleFieldPanel(
            "title",
            heading=_("Section name"),
            placeholder=_("Section name*"),
            help_text=_("Shown in the site's menu and above the section's stories."),
        ),
        FieldPanel("intro"),
    ]
    subpage_types = ["news.ArticlePage"]
    parent_page_types = ["news.HomePage"]

    class Meta:
        verbose_name = _("section")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        # Kept under the page shown (?page=999 is the last page), not under the number asked.
        shown = {"page": str(response.context_data["articles"].number)}
        return mark_public(request, response, reads=("page",), shown=shown)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.child_of(self).for_listing()  # type: ignore[attr-defined]
        # get_page() turns ?page=abc into page 1 and ?page=999 into the last page.
        context["articles"] = Paginator(articles, SECTION_PAGE_SIZE).get_page(request.GET.get("page"))
        return context


class KeptArticleResponse(TemplateResponse):
    """An article's TemplateResponse whose page outside the reader's own parts is kept
    (news.kept_pages); `frame_key` None renders it the ordinary way."""

    frame_key: Any = None

    @property
    def rendered_content(self) -> str:
        from masthead.news.kept_pages import render_page

        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        request = self._request
        return render_page(template=template, context=context or {}, request=request, key=self.frame_key)


class ArticlePage(SiteAddressedPage, GoneAtExpiry, SnapshotViewRestrictions, Page):
    kicker = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("kicker"),
        help_text=_(
            "A running topic shown above the headline, e.g. 'Valdora–Kessen rift'; it links to every "
            "story on the topic. Add new topics under Snippets → Topics."
        ),
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=500,
        help_text=_(
            "One or two sentences under the headline that say what the story is. Every reader sees "
            "it, also on a story behind the paywall, and search engines and shared links show it."
        ),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    hero_caption = models.CharField(
        _("caption"), max_length=300, blank=True, help_text=_("What the photo shows: who, where, when.")
    )
    hero_credit = models.CharField(
        _("credit"),
        max_length=120,
        blank=True,
        help_text=_("The photographer and agency, e.g. 'Ana Ruiz/Ledger'."),
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where the story was reported, shown before the first paragraph. One or more places, "
            "separated by commas, e.g. 'Valdora, Kessen'."
        ),
    )
    updated_at = models.DateTimeField(
        _("updated at"),
        null=True,
        blank=True,
        help_text=_(
            "Shown as 'Updated …' on the story; leave empty unless the story changed materially "
            "after it was first published."
        ),
    )
    body = StreamField(ArticleBodyBlock(), use_json_field=True, verbose_name=_("body"))
    access = models.CharField(
        _("who can read it"),
        max_length=16,
        choices=AccessLevel.choices,
        default=AccessLevel.METERED,
        help_text=ACCESS_HELP,
    )
    sponsor = models.ForeignKey(
        "sponsored.Sponsor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("sponsor"),
        help_text=SPONSOR_HELP,
    )
    # What a shared link shows (Open Graph / X cards), when it should differ from the story's own.
    share_title = models.CharField(
        _("share title"),
        max_length=200,
        blank=True,
        help_text=_(
            "The headline a shared link shows on social networks and messaging apps. Leave empty to "
            "use the headline."
        ),
    )
    share_description = models.TextField(
        _("share description"),
        max_length=300,
        blank=True,
        help_text=_(
            "The sentence under a shared link. Leave empty to use the standfirst. Everyone can read "
            "it, also on a story behind the paywall: never the story's gated text."
        ),
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("share image"),
        help_text=_(
            "The picture a shared link shows, cut to 1200×630 around the photo's focal point. Leave "
            "empty to use the hero photo."
        ),
    )

    objects = PageManager.from_queryset(ArticleQuerySet)()

    # One "Story" tab holds everything an editor writes and decides while writing, who may read
    # it included; Promote keeps the address and what search engines show, Settings the schedule.
    content_panels = [
        TitleFieldPanel(
            "title",
            heading=_("Headline"),
            placeholder=_("Headline*"),
            help_text=_(
                "As readers see it on the story, the front page and shared links. The story's web "
                "address is made from it until the story is published."
            ),
        ),
        SameHeadlinePanel(),
        FieldPanel("kicker"),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_caption"), FieldPanel("hero_credit")],
            heading=_("Hero photo"),
        ),
        FieldPanel("dateline"),
        BylinesPanel("bylines", heading=_("Bylines"), label=_("byline"), min_num=1),
        FieldPanel("body"),
        FieldPanel("updated_at"),
        MultiFieldPanel(
            [FieldPanel("access", widget=forms.RadioSelect), FieldPanel("sponsor")],
            heading=_("Access"),
        ),
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "slug",
                    heading=_("Address (slug)"),
                    help_text=_(
                        "The last part of the story's web address, made from the headline. Once the "
                        "story is published, changing it breaks links readers have shared."
                    ),
                ),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
            ],
            heading=_("For search engines and shared links"),
        ),
        MultiFieldPanel(
            [FieldPanel("share_title"), FieldPanel("share_description"), FieldPanel("share_image")],
            heading=_("Shared links (social networks and messaging apps)"),
        ),
    ]
    settings_panels = Page.settings_panels
    base_form_class = ArticlePageForm
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Story")),
            ObjectList(promote_panels, heading=_("Promote")),
            ObjectList(settings_panels, heading=_("Settings"), classname="settings"),
        ],
        base_form_class=ArticlePageForm,
    )
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        # Not the raw body: a search that matched a gated word would tell anyone what the story says.
        index.SearchField("readable_body_text"),
        index.FilterField("access"),
        index.RelatedFields("kicker", [index.SearchField("name")]),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")

    @property
    def headline(self) -> str:
        return self.title

    @property
    def is_sponsored(self) -> bool:
        return self.sponsor_id is not None

    @property
    def preview_modes(self) -> list[tuple[str, Any]]:
        # Editors preview the article as each kind of reader (the paywall decides; staff only).
        from masthead.access.previews import preview_modes

        return preview_modes()

    @property
    def access_level(self) -> str:
        # Sponsored content is always free, whatever the access field says.
        return AccessLevel.FREE if self.is_sponsored else self.access

    def readable_body_text(self) -> str:
        """The body text search may match: all of it when every reader may read the article, else none.

        Not even the teaser of a gated article: its length is a paywall setting (and half the story
        at most), so an index built under one setting would over-share after the setting shrinks.
        Headline, standfirst and kicker, indexed for every article, are what a gated article shows
        to all. The index follows the live page: publishing (an access level change included)
        re-indexes it.
        """
        if self.access_level != AccessLevel.FREE:
            return ""
        return " ".join(self.body.stream_block.get_searchable_content(self.body))

    @cached_property
    def dateline_places(self) -> list[str]:
        return [place.strip() for place in self.dateline.split(",") if place.strip()]

    @cached_property
    def authors(self) -> list[Author]:
        # select_related keeps it one query however many bylines; a listing's prefetch still wins.
        bylines = self.bylines.all()
        if "bylines" not in getattr(self, "_prefetched_objects_cache", {}):
            bylines = bylines.select_related("author")
        return [byline.author for byline in bylines]

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The one path: decide on the server, then render only what this reader may see.
        from masthead.access.services import article_access, finalize_article_response
        from masthead.analytics.tracking import record_article_view
        from masthead.news.kept_pages import frame_key

        verdict = article_access(request=request, article=self)
        context = self.get_context(request, verdict=verdict)
        response = KeptArticleResponse(request, self.get_template(request), context)
        response.frame_key = frame_key(
            request=request, article=self, granted=verdict.granted, teaser_blocks=len(context["body_teaser"])
        )
        record_article_view(request=request, article=self, verdict=verdict)
        return finalize_article_response(response=response, verdict=verdict)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        verdict = kwargs.get("verdict")
        if verdict is None:
            from masthead.access.services import article_access

            verdict = article_access(request=request, article=self)
        from masthead.news.fragments import BodyBlocks, article_body, article_chrome

        total = len(self.body)
        teaser_count = teaser_length(total_blocks=total, configured=verdict.teaser_blocks)
        context["verdict"] = verdict
        context["article_chrome"] = article_chrome(request=request, article=self)
        # The cut happens here, on the server: a reader without access never gets the rest, not
        # even as kept HTML (the teaser and the gated rest are rendered and kept apart).
        context["body_teaser"] = BodyBlocks(self, 0, teaser_count)
        context["body_teaser_html"] = article_body(request=request, article=self, start=0, stop=teaser_count)
        if verdict.granted:
            context["body_gated"] = BodyBlocks(self, teaser_count, total)
            context["body_gated_html"] = article_body(
                request=request, article=self, start=teaser_count, stop=total
            )
        else:
            context["body_gated"], context["body_gated_html"] = [], ""
        return context


class ArticleByline(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="bylines")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("byline")
