"""policy-tracker: follow a government's stated commitments from one meeting to the next.

The library comes first (ingest, extract, match, store); `tracker.cli` is a thin layer over it.
"""

__version__ = "0.1.0"
