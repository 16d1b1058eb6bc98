"""The journal moved to arobase.journal (copied by journal.0002): this table goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0002_copy_history'),
        ('evaluation', '0002_phaserule_to_labels'),
    ]

    operations = [
        migrations.DeleteModel(
            name='AuditEntry',
        ),
    ]
