"""The served page is declared French and carries the script that translates Streamlit's words.

The browser test (tests/browser/test_french.py) sees the result on every page;
these tests pin the rewriting itself, without a server.
"""

from __future__ import annotations

import asyncio
from importlib import resources

import pytest

from habitat.ui.french import WORDS, FrenchPage, frenchify, script

STREAMLIT_INDEX = (resources.files("streamlit") / "static" / "index.html").read_bytes()


def served(
    accept: bytes, body: bytes, content_type: bytes = b"text/html", status: int = 200
) -> tuple[list, dict]:
    """What FrenchPage sends for one GET, and the request headers the app behind it got."""
    seen: dict = {}

    async def app(scope, receive, send):
        seen["headers"] = dict(scope["headers"])
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    messages: list = []

    async def send(message):
        messages.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/residents",
        "headers": [(b"accept", accept), (b"accept-encoding", b"gzip")],
    }
    asyncio.run(FrenchPage(app)(scope, receive, send))
    return messages, seen["headers"]


def test_streamlit_index_is_declared_french_with_the_script():
    assert b'<html lang="en">' in STREAMLIT_INDEX  # what Streamlit ships
    page = frenchify(STREAMLIT_INDEX)
    assert b'<html lang="fr">' in page and b'lang="en"' not in page
    assert page.count(script().encode()) == 1
    assert page.index(script().encode()) < page.index(b"</head>")


def test_a_page_opened_by_the_browser_is_rewritten_uncompressed():
    messages, headers = served(b"text/html,*/*", STREAMLIT_INDEX)
    assert b"accept-encoding" not in headers  # so the body can be read and rewritten
    start, body = messages
    page = frenchify(STREAMLIT_INDEX)
    assert body["body"] == page
    assert dict(start["headers"])[b"content-length"] == str(len(page)).encode()


@pytest.mark.parametrize(
    ("accept", "content_type", "status"),
    [
        (b"*/*", b"text/html", 200),
        (b"text/html", b"application/javascript", 200),
        (b"text/html", b"text/html", 304),
    ],
    ids=["not-asked-for-html", "not-html", "not-modified"],
)
def test_anything_else_passes_untouched(accept, content_type, status):
    messages, _ = served(accept, b'<html lang="en"></head>', content_type, status)
    assert b"".join(m.get("body", b"") for m in messages) == b'<html lang="en"></head>'


def test_every_word_has_a_french_translation():
    assert all(french and french != english for english, french in WORDS.items())
