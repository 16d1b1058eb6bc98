"""Deployment checks: `arobase check --deploy` warns while demo accounts exist."""

from django.core.checks import Warning, register
from django.db import DatabaseError


@register("arobase", deploy=True)
def demo_accounts(app_configs, **kwargs):
    from .models import DemoAccount

    try:
        count = DemoAccount.objects.count()
    except DatabaseError:  # not migrated yet: nothing to warn about
        return []
    if count:
        return [Warning(
            f"{count} compte(s) de démonstration existent, avec le mot de passe public « arobase-demo ».",
            hint="Supprimez-les avant la mise en production : arobase remove_demo_accounts",
            id="arobase.W001",
        )]
    return []
