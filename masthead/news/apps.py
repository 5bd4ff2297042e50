from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "masthead.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from masthead.core.models import PublicationSettings
        from masthead.core.page_cache import purge_public_pages
        from masthead.news.models import ArticlePage, Author, HomePage, SectionPage, Topic
        from masthead.news.navigation import forget_section_links
        from masthead.sponsored.models import Sponsor

        # Anything that can change which sections readers see, or where they live.
        page_published.connect(forget_section_links, dispatch_uid="news-nav-published")
        page_unpublished.connect(forget_section_links, dispatch_uid="news-nav-unpublished")
        post_page_move.connect(forget_section_links, dispatch_uid="news-nav-moved")
        post_delete.connect(forget_section_links, sender=SectionPage, dispatch_uid="news-nav-deleted")

        # Anything a kept public page (front, section, topic, author, feed, sitemap) shows.
        page_published.connect(purge_public_pages, dispatch_uid="news-pages-published")
        page_unpublished.connect(purge_public_pages, dispatch_uid="news-pages-unpublished")
        post_page_move.connect(purge_public_pages, dispatch_uid="news-pages-moved")
        for model in (HomePage, SectionPage, ArticlePage):
            post_delete.connect(
                purge_public_pages, sender=model, dispatch_uid=f"news-pages-del-{model.__name__}"
            )
        for model in (Topic, Author, Sponsor, PublicationSettings, Site, PageViewRestriction):
            post_save.connect(
                purge_public_pages, sender=model, dispatch_uid=f"news-pages-save-{model.__name__}"
            )
            post_delete.connect(
                purge_public_pages, sender=model, dispatch_uid=f"news-pages-gone-{model.__name__}"
            )
