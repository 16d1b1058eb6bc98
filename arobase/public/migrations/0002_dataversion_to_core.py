"""DataVersion moves to arobase.core (the bottom layer): the table is renamed, its rows kept."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    """The model's permissions, group grants and admin history follow it to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="dataversion").exists():
        ContentType.objects.filter(app_label="public", model="dataversion").update(app_label="core")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="public", model="dataversion").exists():
        ContentType.objects.filter(app_label="core", model="dataversion").update(app_label="public")


class Migration(migrations.Migration):
    dependencies = [("contenttypes", "0002_remove_content_type_name"), ("public", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("DataVersion", "core_dataversion")],
            state_operations=[migrations.DeleteModel("DataVersion")],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
