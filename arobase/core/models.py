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


class Figure(models.Model):
    """A figure derived from published data (the statistics' tables), stored with the
    versions it was computed from (core/figures.py): every worker and server reads one
    row instead of aggregating every label again."""

    name = models.CharField(max_length=60, primary_key=True)
    token = models.CharField(max_length=100)
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chiffre calculé"
