from django.db import models


class DataVersion(models.Model):
    """A counter bumped whenever published data changes (import, publication, staff edit).

    Cached public pages are keyed by it, so a change shows on the very next request in
    every worker, with nothing to invalidate. One row; kept in the database because
    that is what every worker shares.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "version des données publiées"
