from django.db import models


class FailedLogin(models.Model):
    """One failed login attempt: what the throttle counts, shared by every worker."""

    username = models.CharField(max_length=254, db_index=True)  # normalised: see throttle.normalise
    address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "échec de connexion"
        verbose_name_plural = "échecs de connexion"
