"""Template helpers for reader pages: icons, share links, JSON-LD, sponsored links."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from masthead.core.models import PublicationSettings
from masthead.news import jsonld
from masthead.news.fragments import kept_fragment
from masthead.news.icons import icon_svg
from masthead.news.kept_pages import COLLECTOR, marker
from masthead.news.share import share_links
from masthead.news.sponsored_links import mark_sponsored_links

register = template.Library()


@register.simple_tag
def icon(name: str, css_class: str = "") -> SafeString:
    return icon_svg(name, css_class)


@register.filter
def sponsored_links(html: str) -> SafeString:
    return mark_sponsored_links(html)


@register.inclusion_tag("news/includes/share.html", takes_context=True)
def share(context: template.Context, article: Any) -> dict[str, Any]:
    request = context["request"]
    url = article.get_full_url(request=request)
    return {"links": share_links(url=url, headline=article.title), "request": request}


@register.simple_tag(takes_context=True)
def article_jsonld(context: template.Context, article: Any, section: Any = None) -> SafeString:
    request = context["request"]
    publication = PublicationSettings.for_request(request)
    data = jsonld.news_article(
        article=article,
        request=request,
        publication=publication,
        section_title=getattr(section, "title", None),
    )
    trail = jsonld.breadcrumbs(article=article, section=section, request=request, publication=publication)
    return SafeString(jsonld.as_script(data) + jsonld.as_script(trail))


class KeptFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, vary_on: list[Any]) -> None:
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        vary = tuple(str(expression.resolve(context)) for expression in self.vary_on)
        return kept_fragment(
            request=request, name=self.name, vary=vary, render=lambda: self.nodelist.render(context)
        )


@register.tag("kept_fragment")
def do_kept_fragment(parser: template.base.Parser, token: template.base.Token) -> KeptFragmentNode:
    """`{% kept_fragment "name" var1 var2 %}...{% endkept_fragment %}`: the enclosed markup,
    rendered once per generation, language and values of the variables (see news.fragments)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("kept_fragment needs a name")
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptFragmentNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])


class ReaderSlotNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        collector = context.get(COLLECTOR)
        if collector is None:
            return self.nodelist.render(context)
        # A kept article page is being rendered (news.kept_pages): leave a marker, filled in
        # with this region rendered for each reader.
        collector.append(self)
        return marker(len(collector) - 1)


@register.tag("reader_slot")
def do_reader_slot(parser: template.base.Parser, token: template.base.Token) -> ReaderSlotNode:
    """`{% reader_slot ["name"] %}...{% endreader_slot %}`: markup that belongs to one reader (the
    paywall prompt, flash messages), never kept with an article page (news.kept_pages). It may only
    read the view's context and the context processors' values. A slot named in
    `kept_pages.PROMPT_SLOTS` ("wall") must depend on nothing but the page and `verdict`: its
    markup is kept per prompt; any other slot is rendered on every request."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("reader_slot takes at most a name")
    nodelist = parser.parse(("endreader_slot",))
    parser.delete_first_token()
    return ReaderSlotNode(nodelist, bits[1].strip("\"'") if len(bits) == 2 else "")
