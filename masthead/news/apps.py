from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "masthead.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from masthead.news.navigation import forget_section_links

        page_published.connect(forget_section_links, dispatch_uid="news-nav-published")
        page_unpublished.connect(forget_section_links, dispatch_uid="news-nav-unpublished")
