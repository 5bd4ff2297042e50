from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "masthead.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from masthead.news.models import SectionPage
        from masthead.news.navigation import forget_section_links

        # Anything that can change which sections readers see, or where they live.
        page_published.connect(forget_section_links, dispatch_uid="news-nav-published")
        page_unpublished.connect(forget_section_links, dispatch_uid="news-nav-unpublished")
        post_page_move.connect(forget_section_links, dispatch_uid="news-nav-moved")
        post_delete.connect(forget_section_links, sender=SectionPage, dispatch_uid="news-nav-deleted")
