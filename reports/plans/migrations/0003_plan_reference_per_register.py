"""A plan's number is unique within its issuing body's register and numbering period, not country-wide."""
from django.db import migrations, models

from core.numbering import register_period


def fill_period(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.all().only("pk", "issued_on"):
        Plan.objects.filter(pk=plan.pk).update(period=register_period(plan.issued_on))


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0002_load_catalogue"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="period",
            field=models.CharField(default="", editable=False, help_text="Năm (2023) hoặc nhiệm kỳ.", max_length=20,
                                   verbose_name="kỳ đánh số"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_period, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="reference",
            field=models.CharField(db_index=True, help_text="132-HD/BTGTU", max_length=60, verbose_name="số, ký hiệu"),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(fields=("issuing_body", "period", "reference"),
                                               name="plan_reference_unique_in_register"),
        ),
    ]
