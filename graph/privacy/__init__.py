"""Privacy operations: consent, subject access, erasure that sticks, restriction, audit, retention.

Submodules are imported where they are used (`from graph.privacy import audit`): the steward
imports the audit log, and erasure imports resolution, so this package imports nothing eagerly.
"""

__all__ = ["PrivacyError"]


class PrivacyError(ValueError):
    """The request names nothing that exists, or is not allowed."""
