"""A document on screen: a button prepares it (and audits its printing), then a download.

A document is produced only when asked, never on every rerun: preparing it is the
moment its printing is recorded, and a PDF costs a second or two.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from habitat.documents.render import Document, RenderingUnavailableError
from habitat.services.access import Forbidden
from habitat.services.documents import BadWeek, BadWindow, NoSuchMeeting

#: The refusals a document's service gives, each with its French message.
REFUSALS = (Forbidden, RenderingUnavailableError, BadWeek, BadWindow, NoSuchMeeting)


def offer(key: str, label: str, make: Callable[[], Document], *, subject: Hashable = None) -> None:
    """A "Préparer" button producing one document, then its download button.

    Args:
        key: the prefix of the widgets' keys (`.make`, `.ready`, `.download`), unique
            on the page; the prepared document is kept in `st.session_state[key + ".ready"]`
            as `(subject, document)`.
        label: what the document is, in French (the button says "Préparer : label").
        make: produces the document (the service call, within the user's scope).
        subject: what the document is about (a resident, a week, a meeting): a document
            prepared for another subject is not offered.
    """
    ready_key = f"{key}.ready"
    if st.button(f"Préparer : {label}", key=f"{key}.make"):
        try:
            document = make()
        except REFUSALS as refusal:
            st.error(refusal.message_fr)
            return
        st.session_state[ready_key] = (subject, document)
    ready = st.session_state.get(ready_key)
    if ready and ready[0] == subject:
        document = ready[1]
        st.download_button(
            f"Télécharger {document.filename}",
            document.content,
            file_name=document.filename,
            mime=document.media_type,
            key=f"{key}.download",
            on_click="ignore",
            icon=":material/download:",
        )
