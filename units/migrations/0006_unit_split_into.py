"""The parts of a split as data (`Unit.split_into`), filled for splits recorded before it from their
`UnitChange` (kind "split": the source as `unit`, the new parts as `related_units`)."""

from django.db import migrations, models


def parts_from_recorded_splits(apps, schema_editor):
    UnitChange = apps.get_model("units", "UnitChange")
    for change in UnitChange.objects.filter(kind="split").select_related("unit"):
        parts = list(change.related_units.all())
        if parts and change.unit.successor_id is None:
            change.unit.split_into.add(*parts)


class Migration(migrations.Migration):

    dependencies = [
        ('units', '0005_access_changes'),
    ]

    operations = [
        migrations.AddField(
            model_name='unit',
            name='split_into',
            field=models.ManyToManyField(blank=True, related_name='split_from', to='units.unit',
                                         verbose_name='chia tách thành'),
        ),
        migrations.RunPython(parts_from_recorded_splits, migrations.RunPython.noop),
    ]
