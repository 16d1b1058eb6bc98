"""The journal moved to arobase.journal (copied by journal.0002): this table goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0002_copy_history'),
        ('accounts', '0002_demoaccount_event_invitation_attachment_role'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Event',
        ),
    ]
