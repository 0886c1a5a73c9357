"""The unit kinds (old and post-2025 structure) with the words the report text uses, from fixtures/unit_kinds.json.

Existing kinds keep their names; only their empty word fields are filled.
"""
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

WORDS = ("area_word", "collective", "collective_heading", "group_label", "is_territorial")


def load(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "unit_kinds.json").read_text(encoding="utf-8"))
    for n, row in enumerate(rows):
        kind = UnitKind.objects.filter(code=row["code"]).first()
        if kind is None:
            UnitKind.objects.create(sort_order=n, **row)
            continue
        for field in WORDS:
            if not getattr(kind, field):
                setattr(kind, field, row[field])
        kind.save()


class Migration(migrations.Migration):
    dependencies = [("units", "0002_history_words_and_bodies")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
