"""Download a document produced on demand: a button prepares it, then a download button.

A document is produced (and, if personal, its printing audited) only when asked,
not on every rerun: `offer` shows a "Préparer" button, keeps the prepared file in
the session, and shows its download button.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from habitat.documents.render import Document, RenderingUnavailableError
from habitat.services.access import Forbidden
from habitat.ui.shell import Context


def offer(ctx: Context, key: str, label: str, make: Callable[[], Document]) -> Document | None:
    """A button preparing one document, then the button downloading it.

    Args:
        ctx: the rerun's context (unused today; kept so every offer reads the same).
        key: the widgets' key prefix, unique on the page; it names what the document
            is about (`make` is called for that, and its file is kept at `{key}.ready`).
        label: what the document is, in French ("Mon calendrier (.ics)").
        make: produces the document (the service call, with its scope and audit).

    Returns:
        The prepared document, or None while none is prepared.
    """
    ready_key = f"{key}.ready"
    if st.button(f"Préparer : {label}", key=f"{key}.make"):
        try:
            st.session_state[ready_key] = make()
        except (Forbidden, RenderingUnavailableError) as refusal:
            st.error(refusal.message_fr)
            return None
    document = st.session_state.get(ready_key)
    if not isinstance(document, Document):
        return None
    st.download_button(
        f"Télécharger {document.filename}",
        document.content,
        file_name=document.filename,
        mime=document.media_type,
        key=f"{key}.download",
        on_click="ignore",
        icon=":material/download:",
    )
    return document
