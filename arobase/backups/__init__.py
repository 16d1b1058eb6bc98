"""Backups: `arobase backup` writes one archive (database and uploaded media), `arobase
restore` puts it back.

- contents.py: what an archive holds, its member names and manifest;
- writer.py: writing one (`backup`);
- checks.py, restorer.py: checking one, then putting it back (`restore`);
- media.py: the uploaded files on disk, and their swap on a restore;
- database.py: the database part, per engine;
- wording.py: what the commands say.
"""


class BackupError(Exception):
    """A refusal or a failure, worded in French for the person at the terminal."""
