"""The GraphQL API: strawberry types and resolvers over catalog queries, dataloaders, the ASGI app.

`resolvers.app.create_app(config, engine, connector)` is the entry point (c360 builds all
three); see README.md in this folder.
"""
