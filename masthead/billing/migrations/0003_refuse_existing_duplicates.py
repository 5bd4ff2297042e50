"""Before one current subscription per reader can be a constraint, deal with readers who already
have several: keep the best one, refuse the others (ended here, their access ended, a
`DuplicatePayment` queued so the billing sweep cancels them at the provider and refunds what they
took), and print each one so the operator sees it in the deploy log."""

from django.db import migrations
from django.utils import timezone

CURRENT = ("trialing", "active", "past_due", "canceled")
# Paid access beats a trial; then the access that lasts longest (open-ended staff grants first);
# then the oldest, which the reader chose first.
PAID_FIRST = {"active": 0, "past_due": 0, "canceled": 0, "trialing": 1}


def best_first(subscription):
    end = subscription.current_period_end
    return (
        PAID_FIRST[subscription.status],
        end is not None,
        -end.timestamp() if end is not None else 0,
        subscription.created_at,
        subscription.pk,
    )


def refuse_existing_duplicates(apps, schema_editor):
    Subscription = apps.get_model("billing", "Subscription")
    DuplicatePayment = apps.get_model("billing", "DuplicatePayment")
    Entitlement = apps.get_model("access", "Entitlement")
    now = timezone.now()
    by_reader = {}
    for subscription in Subscription.objects.filter(status__in=CURRENT).select_related("user", "plan"):
        by_reader.setdefault(subscription.user_id, []).append(subscription)
    for user_id, subscriptions in sorted(by_reader.items()):
        if len(subscriptions) < 2:
            continue
        kept, *others = sorted(subscriptions, key=best_first)
        for other in others:
            previous = other.status
            other.status = "expired"
            other.refused_reason = "already_subscribed"
            other.cancel_at_period_end = False
            other.ended_at = now
            other.save()
            ref = f"billing:subscription:{other.pk}"
            Entitlement.objects.filter(source_ref__in=[f"{ref}:trial", f"{ref}:paid"], ends_at__isnull=True).update(
                ends_at=now
            )
            Entitlement.objects.filter(source_ref__in=[f"{ref}:trial", f"{ref}:paid"], ends_at__gt=now).update(
                ends_at=now
            )
            DuplicatePayment.objects.create(
                user_id=user_id,
                subscription=other,
                kept_subscription=kept,
                reason="already_subscribed",
                provider=other.provider,
                provider_subscription_id=other.provider_subscription_id,
                currency=other.plan.currency,
                customer_email=other.user.email,
                detected_at=now,
                note=(
                    f"Found by migration billing.0003 ({previous} beside subscription {kept.pk}); "
                    "the billing sweep cancels it and refunds every payment it took."
                ),
            )
            print(
                f"\n  billing: reader {user_id} had several current subscriptions: kept {kept.pk} "
                f"({kept.status}, {kept.plan.name}), refused {other.pk} ({previous}, {other.plan.name}, "
                f"{other.provider} {other.provider_subscription_id or '-'}); cancel and refund queued."
            )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_duplicate_payments"),
        ("access", "0001_initial"),
    ]

    operations = [migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop)]
