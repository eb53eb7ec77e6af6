"""Field-level permissions by role. Fields guarded here are nullable, so a refused field is null
with a FORBIDDEN error while the rest of the response still arrives."""

from typing import Any

from strawberry.permission import BasePermission

from resolvers.auth import Role

__all__ = ["IsAdmin", "IsSteward"]


class IsSteward(BasePermission):
    message = "This field needs the steward or admin role."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (strawberry reads it per class)

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.principal.role >= Role.STEWARD)


class IsAdmin(BasePermission):
    message = "This field needs the admin role."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (strawberry reads it per class)

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.principal.role >= Role.ADMIN)
