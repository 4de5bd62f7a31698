"""The one exception type the CLI turns into a one-line message and a non-zero exit."""


class CrimegraphError(Exception):
    """A user-facing failure: bad input, unknown country, unwritable output, malformed query."""
