"""The app's own HTTP routes for the session cookie (served by `habitat_app`'s `st.App`).

- `POST /_habitat/session/claim`, body: the one-time claim the signed-in page was
  given. Answers 204 with the session's token as an HttpOnly, SameSite=Strict
  cookie (Secure over HTTPS), or 403 for an unknown, used or late claim.
- `POST /_habitat/session/end`: ends the session the cookie names and clears it.

Both refuse a request whose `Origin` is another site (403): with the cookie's
SameSite=Strict and the claim's secret, no other site can sign anyone in or out.
Streamlit's own XSRF protection (uploads) is untouched.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

#: The cookie naming the session.
COOKIE = "habitat_session"
#: A claim or a token is 43 characters; anything much longer is not one.
_MAX_BODY = 200

# The store and the services are imported by the handlers, when first asked: the
# server starts (and answers its health check) without loading them.


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin:
        return False
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")}
    return urlsplit(origin).netloc in hosts - {None}


def _claim(claim: str) -> str | None:
    from habitat import store
    from habitat.services import sessions
    from habitat.ui.session import db_path

    path = db_path()
    if not path.exists():
        return None
    with store.connect(path) as db:
        return sessions.claim(db, claim)


def _end(token: str) -> None:
    from habitat import store
    from habitat.services import sessions
    from habitat.ui.session import db_path

    path = db_path()
    if path.exists():
        with store.connect(path) as db:
            sessions.end_by_token(db, token)


async def claim(request: Request) -> Response:
    """Trade the claim in the body for the session cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    body = (await request.body())[:_MAX_BODY].decode("ascii", errors="replace").strip()
    token = await run_in_threadpool(_claim, body)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    from habitat.services.sessions import MAX_SESSION_S

    response.set_cookie(
        COOKIE,
        token,
        max_age=MAX_SESSION_S,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


async def end(request: Request) -> Response:
    """End the cookie's session and clear the cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(COOKIE, "")
    if token:
        await run_in_threadpool(_end, token)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [
    Route("/_habitat/session/claim", claim, methods=["POST"]),
    Route("/_habitat/session/end", end, methods=["POST"]),
]
