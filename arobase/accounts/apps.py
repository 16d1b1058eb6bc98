from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "arobase.accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from . import checks, permissions  # noqa: F401  (registers the checks and rules)

        post_migrate.connect(refresh_groups, dispatch_uid="accounts-refresh-groups")


def refresh_groups(sender, using="default", **kwargs):
    """After every migration, the staff's and the Conseil's groups hold the permissions of
    the models as they are now: a model that is added or moves to another app (its
    permissions are new) stays in the hands of those who ran it."""
    from django.contrib.auth.models import Group

    from . import roles

    if Group.objects.using(using).filter(name__in=[roles.TEAM_GROUP, roles.CONSEIL_GROUP]).exists():
        roles.team_group()
        roles.conseil_group()
