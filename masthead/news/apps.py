from typing import Any

from django.apps import AppConfig


def edited_settings(sender: Any, created: bool = False, **kwargs: Any) -> None:
    from masthead.core.generation import new_generation

    if not created:
        new_generation()


class NewsConfig(AppConfig):
    name = "masthead.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.images import get_image_model
        from wagtail.models import PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from masthead.core.generation import new_generation
        from masthead.core.models import PublicationSettings
        from masthead.news.models import ArticleByline, ArticlePage, Author, HomePage, SectionPage, Topic
        from masthead.news.navigation import forget_section_links
        from masthead.news.rendition_safety import guard_rendition_generation
        from masthead.news.renditions import (
            make_article_renditions,
            make_author_photo_renditions,
            make_image_renditions,
            make_logo_renditions,
        )
        from masthead.sponsored.models import Sponsor

        # Anything that can change which sections readers see, or where they live.
        page_published.connect(forget_section_links, dispatch_uid="news-nav-published")
        page_unpublished.connect(forget_section_links, dispatch_uid="news-nav-unpublished")
        post_page_move.connect(forget_section_links, dispatch_uid="news-nav-moved")
        post_delete.connect(forget_section_links, sender=SectionPage, dispatch_uid="news-nav-deleted")

        # Anything a reader page shows: kept public pages and per-worker copies start afresh.
        page_published.connect(new_generation, dispatch_uid="news-pages-published")
        page_unpublished.connect(new_generation, dispatch_uid="news-pages-unpublished")
        post_page_move.connect(new_generation, dispatch_uid="news-pages-moved")
        # (A settings row created on first use holds the defaults readers already saw: no change.)
        post_save.connect(edited_settings, sender=PublicationSettings, dispatch_uid="news-pages-settings")
        post_delete.connect(
            new_generation, sender=PublicationSettings, dispatch_uid="news-pages-settings-gone"
        )
        shown = (HomePage, SectionPage, ArticlePage, ArticleByline, Topic, Author, Sponsor)
        for model in (*shown, Site, PageViewRestriction, get_image_model()):
            post_save.connect(new_generation, sender=model, dispatch_uid=f"news-pages-save-{model.__name__}")
            post_delete.connect(
                new_generation, sender=model, dispatch_uid=f"news-pages-gone-{model.__name__}"
            )

        # Renditions: made once an edit is committed, before readers ask; any still missing are
        # made under a per-image lock from a private copy (workers share routed images across
        # threads).
        guard_rendition_generation(get_image_model())
        page_published.connect(
            make_article_renditions, sender=ArticlePage, dispatch_uid="news-renditions-article"
        )
        post_save.connect(
            make_image_renditions, sender=get_image_model(), dispatch_uid="news-renditions-image"
        )
        post_save.connect(make_author_photo_renditions, sender=Author, dispatch_uid="news-renditions-author")
        for model in (PublicationSettings, Sponsor):
            post_save.connect(
                make_logo_renditions, sender=model, dispatch_uid=f"news-renditions-{model.__name__}"
            )
