"""Field-level permissions: by role for what a caller may see, by scope for what it may do.
Fields guarded here are nullable, so a refused field is null with a FORBIDDEN error while the rest
of the response still arrives."""

from typing import Any

from strawberry.permission import BasePermission

from resolvers.auth import Role
from resolvers.scopes import Scope

__all__ = ["CanAdminister", "CanRead", "CanSteward", "IsAdmin", "IsSteward"]


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


class _HasScope(BasePermission):
    scope: Scope
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (strawberry reads it per class)

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.principal.can(self.scope))


class CanRead(_HasScope):
    scope = Scope.READ
    message = "This field needs the read scope."


class CanSteward(_HasScope):
    scope = Scope.STEWARD
    message = "This operation needs the steward scope (steward or admin role)."


class CanAdminister(_HasScope):
    scope = Scope.ADMIN
    message = "This operation needs the admin scope (admin role)."
