"""Arobase: the platform of a national label for digital local public policy."""
