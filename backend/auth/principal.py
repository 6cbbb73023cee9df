"""The authenticated caller: a user plus what this credential may do.

A browser session may do everything the user's role allows except judge; an API
token only what its scopes say. A token with the `judge` scope has no other scope,
and only the judge endpoints accept it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backend.db.models import User
from backend.enums import Role
from backend.schemas.tokens import Scope

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.LEARNER: frozenset({Scope.SUBMIT, Scope.READ}),
    Role.INSTRUCTOR: frozenset({Scope.SUBMIT, Scope.READ, Scope.PROBLEMS_WRITE}),
    Role.ADMIN: frozenset({Scope.SUBMIT, Scope.READ, Scope.PROBLEMS_WRITE, Scope.JUDGE}),
}


@dataclass(frozen=True)
class Principal:
    user: User
    scopes: frozenset[Scope]
    via: Literal["session", "token"]
    token_id: int | None = None  # the API token used, when via == "token"

    @property
    def role(self) -> Role:
        return Role(self.user.role)

    @property
    def is_judge(self) -> bool:
        return Scope.JUDGE in self.scopes

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)


def session_scopes(role: Role) -> frozenset[Scope]:
    return ROLE_SCOPES[role] - {Scope.JUDGE}
