"""Why the demo data cannot be loaded: raised by its builders, shown by its commands."""


class MissingReferenceData(RuntimeError):
    """The national territories are not imported yet."""


class SeasonNotReady(ValueError):
    """The season asked for cannot be built on the data at hand."""
