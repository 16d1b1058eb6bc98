"""Outbox claims carry their time. A message left « en cours d'envoi » before this
(a sender that died: it was invisible for ever) gets its creation time as its claim,
so the next `arobase send_outbox` offers it again."""

from django.db import migrations, models
from django.db.models import F


def date_old_claims(apps, schema_editor):
    apps.get_model("evaluation", "OutboxMessage").objects.filter(status="envoi", claimed_at__isnull=True).update(claimed_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0003_delete_auditentry'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='pris en charge le'),
        ),
        migrations.AlterField(
            model_name='outboxmessage',
            name='status',
            field=models.CharField(choices=[('attente', 'à relire'), ('valide', "validé, en file d'envoi"), ('envoi', "en cours d'envoi"), ('envoye', 'envoyé'), ('echec', 'échec')], db_index=True, default='attente', max_length=8, verbose_name='statut'),
        ),
        migrations.RunPython(date_old_claims, migrations.RunPython.noop),
    ]
