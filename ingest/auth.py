"""API tokens: creation, lookup, and who may see which dossier.

Tokens are random (``mct_`` + 43 url-safe characters); only their SHA-256 is stored.
Roles: ``portal`` (the public-service portal), ``clerk`` (one office), ``field_agent``
(home-assistance team member), ``admin``. A field agent or the portal sees only the
dossiers it created; a clerk only its office's; an admin everything.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from storage.db.models import ApiToken, Dossier, Role, utcnow

TOKEN_PREFIX = "mct_"
LAST_USED_RESOLUTION = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: str
    name: str
    role: str
    office: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session, *, name: str, role: str, office: str | None
) -> tuple[str, ApiToken]:
    """Create a token; returns (the secret token, shown once; its row). The caller commits."""
    if role not in Role.ALL:
        raise ValueError(f"role must be one of {', '.join(Role.ALL)}")
    if role in (Role.CLERK, Role.FIELD_AGENT) and not office:
        raise ValueError(f"a {role} token needs an office")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(token_sha256=hash_token(token), name=name, role=role, office=office or None)
    session.add(row)
    session.flush()
    return token, row


def authenticate(session: Session, token: str) -> Principal | None:
    """The principal a bearer token stands for, or None if unknown or revoked.

    Records when the token was last used (at most once an hour, so reads stay reads);
    the caller commits.
    """
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        row.last_used_at = now
    return Principal(token_id=row.id, name=row.name, role=row.role, office=row.office)


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.created_at)))


def revoke_token(session: Session, token_id: str) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def visible_dossiers(principal: Principal, stmt: Select) -> Select:
    """Restrict a SELECT over :class:`Dossier` to what ``principal`` may see."""
    if principal.role == Role.ADMIN:
        return stmt
    if principal.role == Role.CLERK:
        return stmt.where(Dossier.office == principal.office)
    return stmt.where(Dossier.created_by == principal.token_id)


def can_see(principal: Principal, dossier: Dossier) -> bool:
    if principal.role == Role.ADMIN:
        return True
    if principal.role == Role.CLERK:
        return dossier.office == principal.office
    return dossier.created_by == principal.token_id
