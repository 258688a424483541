"""The action server with its door guarded: `python -m actions.server --port 5055`.

The options are those of `rasa run actions` (it is rasa_sdk's server), with two changes:
- With PK_ACTION_TOKEN set, every call but /health must carry `Authorization: Bearer <token>`
  (deploy/endpoints.yml has Rasa send it); anything else gets a 401 and runs nothing. rasa_sdk
  has no authentication of its own, and a forged tracker would otherwise run any action (a
  call-back request nobody asked for). Without the token (development) every caller is served.
- A request that fails is answered without its body: rasa_sdk's own handler sends the tracker
  back, and Rasa logs it. (Our actions' own failures never get here: `actions.base.guarded`.)

Both are attached through rasa_sdk's plugin hook, which its `run` calls on the app it builds.
"""

from __future__ import annotations

import hmac
import logging

import pluggy
import rasa_sdk.__main__ as sdk_main
from rasa_sdk.endpoint import create_argument_parser
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.failure import describe_failure
from settings import get_settings

log = logging.getLogger("actions.server")  # not __main__, as `python -m` would name it
hookimpl = pluggy.HookimplMarker("rasa_sdk")
OPEN_PATHS = frozenset({"/health"})


def bearer_allowed(header: str | None, token: str) -> bool:
    """Whether an Authorization header carries the token (no token set: everyone may call)."""
    if not token:
        return True
    return hmac.compare_digest((header or "").encode(), f"Bearer {token}".encode())


def guard(app: Sanic, token: str) -> None:
    @app.on_request
    async def check_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or bearer_allowed(request.headers.get("authorization"), token):
            return None
        log.warning("action call refused: no valid token (do the Rasa servers have PK_ACTION_TOKEN?)")
        return response.json({"error": "this server answers only the Rasa servers"}, status=401)

    # Registered after rasa_sdk's own handler, so it replaces it (Sanic keeps the last one).
    @app.exception(Exception)
    async def failed(request: Request, error: Exception) -> HTTPResponse:
        if isinstance(error, SanicException):
            return response.json({"error": str(error)}, status=error.status_code)
        log.error("action call failed: %s", describe_failure(error))
        return response.json({"error": "the action failed"}, status=500)


class Door:
    def __init__(self, token: str) -> None:
        self.token = token

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        guard(app, self.token)


def main(argv: list[str] | None = None) -> None:
    args = create_argument_parser().parse_args(argv)
    args.actions = args.actions or "actions"
    token = get_settings().action_token
    if not token:
        log.warning("PK_ACTION_TOKEN is not set: the action server answers any caller (development only)")
    plugin_manager().register(Door(token))
    sdk_main.main_from_args(args)


if __name__ == "__main__":
    main()
