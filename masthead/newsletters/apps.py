from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "masthead.newsletters"
    label = "newsletters"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Newsletters")

    def ready(self) -> None:
        # anymail's tracking signal → DeliveryEvent / Suppression (webhooks.py).
        from masthead.newsletters import webhooks  # noqa: F401
        from masthead.schedule.jobs import MINUTE, Job, register

        register(
            Job(
                name="newsletters_due",
                label="Newsletter issues due",
                every=MINUTE,
                run=_newsletters_due,
                time_limit=5 * MINUTE,
            )
        )


def _newsletters_due() -> str:
    """Scheduled issues whose time has come, and issues a dead worker left half sent, go to the
    task worker (which the same newsroom clock drains)."""
    from masthead.newsletters.sending import enqueue_due_issues, resume_stalled_issues

    due = enqueue_due_issues()
    resumed = resume_stalled_issues()
    return f"Enqueued {due} scheduled issue(s); resumed {resumed} stalled issue(s)."
