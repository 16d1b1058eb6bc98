"""PhaseRule moves to arobase.labels, beside the season's phases: the table is renamed,
its rows kept (labels.0006 gives the model its new home in Django's state)."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    """The model's permissions, group grants and admin history follow it to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="labels", model="phaserule").exists():
        ContentType.objects.filter(app_label="evaluation", model="phaserule").update(app_label="labels")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="evaluation", model="phaserule").exists():
        ContentType.objects.filter(app_label="labels", model="phaserule").update(app_label="evaluation")


class Migration(migrations.Migration):
    dependencies = [("contenttypes", "0002_remove_content_type_name"), ("evaluation", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("PhaseRule", "labels_phaserule")],
            state_operations=[migrations.DeleteModel("PhaseRule")],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
