from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    """The newsroom's scheduled work: publishing on time, billing sweeps, tidying, the task queue."""

    name = "masthead.schedule"
    label = "schedule"
    verbose_name = "Scheduled work"
    default_auto_field = "django.db.models.BigAutoField"
