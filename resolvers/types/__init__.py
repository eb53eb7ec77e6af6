"""Strawberry types of the API, one concept per module."""
