"""FastAPI dependencies, by type: ``SessionDep``, ``CurrentPrincipal``, ``RuntimeDep``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ingest.api.errors import UNAUTHORIZED, ApiError
from ingest.auth import Principal, authenticate
from ingest.runtime import Runtime


def single_valued_query(request: Request) -> None:
    """Refuse a query parameter given more than once (``?office=a&office=b``): every
    parameter of the API takes one value, and taking the last one silently would hide
    a caller's mistake. Raises the 422 of any invalid parameter."""
    keys = [k for k, _ in request.query_params.multi_items()]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", k),
                    "msg": "given more than once; give it once",
                    "type": "repeated",
                }
                for k in repeated
            ]
        )


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(rt: RuntimeDep) -> Iterator[Session]:
    session = rt.sessions()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="API token (`motcua token create`)")


def get_principal(
    session: SessionDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise UNAUTHORIZED
    principal = authenticate(session, creds.credentials)
    # End the transaction now (it may record the token's last use): on SQLite every
    # transaction holds the write lock until it ends.
    session.commit()
    if principal is None:
        raise UNAUTHORIZED
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: str) -> Callable[[Principal], Principal]:
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise ApiError(
                403,
                "forbidden",
                f"this needs one of the roles: {', '.join(roles)}",
                "Bạn không có quyền thực hiện thao tác này",
            )
        return principal

    return check


Enqueue = Callable[[str], None]


def get_enqueue(request: Request) -> Enqueue:
    return request.app.state.enqueue  # type: ignore[no-any-return]


EnqueueDep = Annotated[Enqueue, Depends(get_enqueue)]
