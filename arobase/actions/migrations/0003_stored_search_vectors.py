"""PostgreSQL: stored search vectors, so that ranking does not recompute them (SQLite's
FTS5 tables are unchanged)."""

from django.db import migrations

from arobase.actions.search import vector_operations


class Migration(migrations.Migration):
    dependencies = [("actions", "0002_actors_and_search")]

    operations = [
        *vector_operations("actions_action", "actions_action_search"),
        *vector_operations("actions_actor", "actions_actor_search"),
    ]
