"""Who is signed in to the staff UI, and what their role lets them do there.

Sign-in uses the staff accounts of the API: the session cookie holds the same access token.
sqladmin asks `can_create`/`can_edit`/`can_delete` of a view without the request (its templates
hide the buttons with them, its routes answer 403 with them), so the signed-in principal is kept
in a context variable for the request, set by `authenticate` before every page.

Sign-in goes through the same throttle as the API's (`api.security.sign_in`): a locked account
or address raises SignInLocked, which `app` answers with the sign-in page, a message in Finnish
and 429.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ClassVar, TypeVar

from sqladmin import ModelView
from sqladmin.authentication import AuthenticationBackend
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from api.security import Principal, SignInLocked, access_token_for, principal_for, sign_in
from api.throttle import client_address
from service_catalog.db import new_session
from staff.accounts import role_allows

R = TypeVar("R")

_signed_in: ContextVar[Principal | None] = ContextVar("staff_ui_principal", default=None)


def signed_in() -> Principal | None:
    return _signed_in.get()


def require(role: str) -> Principal:
    """The signed-in staff member if their role is at least `role`, else 403."""
    principal = signed_in()
    if principal is None or not role_allows(principal.role, role):
        raise HTTPException(403, f"this needs the {role} role")
    return principal


def _sign_in(email: str, password: str, address: str) -> str | None:
    with new_session() as session:
        user = sign_in(session, email, password, address)  # SignInLocked goes up to the page
        session.commit()  # the attempt counted, or a rehashed password
        return access_token_for(user)[0] if user is not None else None


def locked_message(locked: SignInLocked) -> str:
    """What the sign-in page says while sign-in is locked."""
    minutes = -(-locked.retry_after // 60)
    if locked.scope == "account":
        why = "Tälle tunnukselle on annettu liian monta kertaa väärä salasana."
    else:
        why = "Tästä IP-osoitteesta on yritetty kirjautua liian monta kertaa väärillä tunnuksilla."
    return f"{why} Kirjautuminen on estetty hetkeksi: yritä uudelleen {minutes} minuutin kuluttua."


def _principal(token: str | None) -> Principal | None:
    if not token:
        return None
    with new_session() as session:
        return principal_for(session, token)


class StaffSignIn(AuthenticationBackend):
    async def login(self, request: Request) -> bool:
        form = await request.form()
        token = await run_in_threadpool(
            _sign_in, str(form.get("username", "")), str(form.get("password", "")), client_address(request)
        )
        if token is None:
            return False
        request.session.update({"token": token})
        return True

    async def logout(self, request: Request) -> bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        # Read again on every page: a deactivated account or a lowered role applies at once.
        principal = await run_in_threadpool(_principal, request.session.get("token"))
        _signed_in.set(principal)
        return principal is not None


def same_site(request: Request) -> None:
    """Refuse a state-changing GET (sqladmin's actions are links) started from another site."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(403, "open this action from the staff UI itself")


async def in_transaction(write: Callable[[Session], R]) -> R:
    """One unit of work off the event loop: `write`, then commit (or roll back on an error)."""

    def run() -> R:
        with new_session() as session:
            result = write(session)
            session.commit()
            return result

    return await run_in_threadpool(run)


class StaffView(ModelView):
    """A view every signed-in staff member reads; `writes` says what editors may also do."""

    writes: ClassVar[frozenset[str]] = frozenset()  # of "create", "edit", "delete"
    write_role: ClassVar[str] = "editor"
    page_size = 50

    def _may(self, what: str) -> bool:
        principal = signed_in()
        return what in self.writes and principal is not None and role_allows(principal.role, self.write_role)

    # Properties, not sqladmin's class flags: the answer depends on who is signed in.
    can_create = property(lambda self: self._may("create"))  # type: ignore[assignment]
    can_edit = property(lambda self: self._may("edit"))  # type: ignore[assignment]
    can_delete = property(lambda self: self._may("delete"))  # type: ignore[assignment]


class AdminOnly(StaffView):
    def is_accessible(self, request: Request) -> bool:
        principal = signed_in()
        return principal is not None and role_allows(principal.role, "admin")

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)


def pks(request: Request) -> list[str]:
    """The rows an action was started for (sqladmin passes them as `?pks=a,b`)."""
    return [pk for pk in request.query_params.get("pks", "").split(",") if pk]


def back(request: Request, fallback: Any) -> str:
    """Where to return after an action: the page it came from, if it is one of ours."""
    referer = request.headers.get("referer", "")
    return referer if referer.startswith(str(request.base_url)) else str(fallback)
