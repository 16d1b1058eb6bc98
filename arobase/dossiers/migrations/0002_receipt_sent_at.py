from django.db import migrations, models
from django.db.models import F


def receipts_already_sent(apps, schema_editor):
    """Dossiers submitted before this field existed had their receipt sent by their own
    request: the scheduled retry must not send them all again."""
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(submitted_at__isnull=False).update(receipt_sent_at=F("submitted_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="receipt_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="accusé de réception envoyé le"),
        ),
        migrations.RunPython(receipts_already_sent, migrations.RunPython.noop),
    ]
