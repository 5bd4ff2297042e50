"""Staff grant and revoke entitlements (print subscribers, complimentary access) in the Django admin."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masthead.access.models import Entitlement
from masthead.access.reader_state import forget_entitlements


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin[Entitlement]):
    list_display = ("user", "kind", "starts_at", "ends_at", "source_ref")
    list_filter = ("kind",)
    search_fields = ("user__email", "source_ref", "note")
    raw_id_fields = ("user",)
    date_hierarchy = "starts_at"
    actions = ["revoke_now"]

    @admin.action(description=_("Revoke now (end these entitlements immediately)"))
    def revoke_now(self, request: HttpRequest, queryset: QuerySet[Entitlement]) -> None:
        now = timezone.now()
        # A queryset update sends no signal: the accounts' kept entitlements are dropped here.
        forget_entitlements(queryset.values_list("user_id", flat=True))
        ended = queryset.filter(ends_at__isnull=True).update(ends_at=now)
        ended += queryset.filter(ends_at__gt=now).update(ends_at=now)
        self.message_user(request, _("%(count)d entitlement(s) revoked.") % {"count": ended})
