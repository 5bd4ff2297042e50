from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "masthead.analytics.experiments"
    label = "experiments"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Experiments")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from masthead.access import services
        from masthead.analytics.experiments import assignment
        from masthead.analytics.experiments.models import Experiment, Variant
        from masthead.core.generation import new_generation

        if assignment.variant_rule not in services.rule_sources:
            services.rule_sources.append(assignment.variant_rule)
        from masthead.billing import selectors

        if assignment.variant_offer not in selectors.variant_offer_sources:
            selectors.variant_offer_sources.append(assignment.variant_offer)
        user_logged_in.connect(assignment.on_login, dispatch_uid="masthead-experiments-unit-at-login")
        # Starting, stopping or editing an experiment starts a new generation: every worker's
        # copy of the running experiments belongs to the old one (obeyed within the second).
        for model in (Experiment, Variant):
            post_save.connect(new_generation, sender=model, dispatch_uid=f"experiments-gen-{model.__name__}")
            post_delete.connect(
                new_generation, sender=model, dispatch_uid=f"experiments-gen-del-{model.__name__}"
            )
