"""The building blocks of an article body. No third-party embeds, by design."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "news/blocks/image.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "news/blocks/pull_quote.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        template = "news/blocks/fact_box.html"


class RelatedArticleBlock(blocks.StructBlock):
    article = blocks.PageChooserBlock(page_type="news.ArticlePage")
    label = blocks.CharBlock(required=False, max_length=60, help_text=_("e.g. 'Read more'"))

    class Meta:
        icon = "link"
        template = "news/blocks/related_article.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="news/blocks/paragraph.html")
    heading = blocks.CharBlock(max_length=160, template="news/blocks/heading.html", icon="title")
    image = ImageBlock()
    pull_quote = PullQuoteBlock()
    fact_box = FactBoxBlock()
    related_article = RelatedArticleBlock()
