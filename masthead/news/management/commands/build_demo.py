"""`manage.py build_demo`: the demo publication, its editor login and (if present) billing demo data.

Idempotent: run it after every `migrate`; the second run finds everything and creates nothing.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.core.site_url import site_root_url
from masthead.news.demo.build import build_publication
from masthead.news.demo.editor import DemoPasswordRefused, ensure_editor
from masthead.newsletters.demo import build_demo_newsletters

BILLING_DEMO_MODULE = "masthead.billing.demo"


class Command(BaseCommand):
    help = "Build the demo publication (front page, sections, authors, articles) and the editor account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--editor-password",
            default=None,
            help="Password for editor@example.com (default: the demo password in demo mode, else random).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            login = ensure_editor(password=options["editor_password"])
        except DemoPasswordRefused as exc:
            raise CommandError(str(exc)) from exc

        report = build_publication()
        if report.created:
            self.stdout.write(f"Created: {', '.join(report.created)}")
        else:
            self.stdout.write("Demo content already in place; nothing to create.")

        self._build_billing_demo()
        # After billing: the newsletters subscribe the demo readers billing made.
        build_demo_newsletters(stdout=self.stdout)
        # 90 days of reader traffic and the subscriptions it led to, for the analytics dashboard.
        importlib.import_module("masthead.analytics.demo").build_demo_analytics(stdout=self.stdout)
        # One finished experiment on the free allowance, with its results, for the experiments page.
        importlib.import_module("masthead.analytics.experiments.demo").build_demo_experiment(
            stdout=self.stdout
        )

        # The one address of every link (MASTHEAD_SITE_URL): `make demo` sets it to where it serves.
        base_url = site_root_url()
        password = login.password or "(unchanged; set a new one with `manage.py changepassword`)"
        self.stdout.write(self.style.SUCCESS(f"Demo built in {time.monotonic() - started:.1f}s."))
        self.stdout.write(f"  Site:     {base_url}/")
        self.stdout.write(f"  Admin:    {base_url}/admin/")
        self.stdout.write(f"  Editor:   {login.email}")
        self.stdout.write(f"  Password: {password}")
        self.stdout.write(f"  Newsletters: {base_url}/newsletters/ (admin: Newsletters; demo e-mail: Outbox)")

    def _build_billing_demo(self) -> None:
        # Billing owns its demo data (plans, offers, reader accounts); it may not exist yet.
        try:
            module = importlib.import_module(BILLING_DEMO_MODULE)
        except ModuleNotFoundError as exc:
            if exc.name != BILLING_DEMO_MODULE:
                raise
            return
        build_demo_billing = getattr(module, "build_demo_billing", None)
        if build_demo_billing is not None:
            build_demo_billing(stdout=self.stdout)
