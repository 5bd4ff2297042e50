from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Standing pages (About, Contact, Terms of use, Privacy policy, Corrections) and the footer
    that links to them."""

    name = "masthead.pages"
    label = "pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from masthead.core.generation import new_generation
        from masthead.pages.models import StandardPage

        # Publishing, unpublishing and moving any page already start a new generation (news.apps);
        # a saved or deleted standing page does too, so the footer on kept pages follows at once.
        post_save.connect(new_generation, sender=StandardPage, dispatch_uid="pages-standard-saved")
        post_delete.connect(new_generation, sender=StandardPage, dispatch_uid="pages-standard-deleted")
