from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_refuse_existing_duplicates"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("trialing", "active", "past_due", "canceled"))),
                fields=("user",),
                name="billing_one_current_subscription_per_reader",
            ),
        ),
    ]
