"""The one journal of domain events (see journal.0002 for the history it takes over)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('labels', '0006_phaserule'),
        ('territories', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Entry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='date')),
                ('by_member', models.BooleanField(default=False, verbose_name='par un membre')),
                ('territory_name', models.CharField(blank=True, max_length=200, verbose_name='nom du territoire')),
                ('subject', models.CharField(blank=True, max_length=60, verbose_name='objet')),
                ('verb', models.CharField(max_length=300, verbose_name='action')),
                ('detail', models.TextField(blank=True, verbose_name='détail')),
                ('before', models.JSONField(blank=True, null=True, verbose_name='avant')),
                ('after', models.JSONField(blank=True, null=True, verbose_name='après')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('edition', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='journal', to='labels.edition', verbose_name='édition')),
                ('territory', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='territories.territory', verbose_name='territoire')),
            ],
            options={
                'verbose_name': 'entrée du journal',
                'verbose_name_plural': 'journal',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['edition', '-at'], name='journal_edition_at')],
            },
        ),
    ]
