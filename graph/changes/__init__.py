"""The change feed: an outbox of events written in the same transaction as each change, read by
position (pull, subscriptions) and delivered to webhook endpoints.

Submodules are imported where they are used (`from graph.changes import outbox`).
"""

__all__: list[str] = []
