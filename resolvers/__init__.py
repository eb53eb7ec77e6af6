"""The GraphQL API: strawberry types and resolvers over catalog queries, dataloaders, the ASGI app.

`resolvers.app.create_app(settings)` is the entry point; see README.md in this folder.
"""
