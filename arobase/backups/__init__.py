"""Backups: `arobase backup` writes one archive (database and uploaded media), `arobase
restore` puts it back. See archive.py for the archive, database.py for each engine."""


class BackupError(Exception):
    """A refusal or a failure, worded in French for the person at the terminal."""
