"""The "Văn bản đã ban hành" section's help says exactly what happens to the documents entered (issue 18.4).

Only that section's description is taken again from fixtures/catalogue.json; the rest of the catalogue (and
any edit an administrator made to it) stays as it is.
"""
import json

from django.db import migrations


def update(apps, schema_editor):
    from reports.plans.catalogue import CATALOGUE_FILE

    Section = apps.get_model("plans", "Section")
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    item = next(s for s in data["sections"] if s["code"] == "documents")
    Section.objects.filter(code="documents").update(description=item["description"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_plan_reference_per_register")]
    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
