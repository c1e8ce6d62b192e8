"""Forms that never lose work: French messages next to each field, conflicts caught.

Convention: a form has a key (`"resident.12"`); its widgets are keyed
`"<form key>.<field>"`, so their values survive a refused save. `submit` runs the
write; a refusal is kept in session state and the page reruns, so each message
shows next to its field (`field_error`) and the form's banner (`status`) lists
the rest. An edit form remembers the version it was opened at (`opened_version`),
so a save after someone else's is refused with a way to reload, never an
overwrite.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from habitat.services.access import Forbidden
from habitat.store.errors import Conflict, InvalidRecord, NotFound
from habitat.store.messages import field_label
from habitat.store.record import Record

FLASH = "ui.flash"
#: A refusal shown once, at the top of the next rerun (an action without a form).
FLASH_ERROR = "ui.flash_error"
#: The same values sent again this soon after a save are a double click: not saved twice.
REPEAT_S = 5.0
#: Held from the double-click check to the end of the write (the two runs are two threads).
_SAVING = threading.Lock()


def _errors(form: str) -> dict[str, str]:
    return st.session_state.get(f"{form}:errors", {})


def reset(form: str) -> None:
    """Forget a form's values, errors and opened version (after a save or a reload)."""
    for key in [k for k in st.session_state if k == form or k.startswith((f"{form}.", f"{form}:"))]:
        del st.session_state[key]


def flash(message: str) -> None:
    """A confirmation shown once, at the top of the next rerun."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    """Show (and forget) the last confirmation."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon="✅")
    refusal = st.session_state.pop(FLASH_ERROR, None)
    if refusal:
        st.error(refusal)


def opened_version(form: str, record: Record) -> int:
    """The version of `record` when this form was first shown (kept across reruns)."""
    key = f"{form}:version"
    if key not in st.session_state:
        st.session_state[key] = record.version
    return st.session_state[key]


def submit(form: str, action: Callable[[], Any], success: str) -> None:
    """Run a write for a form, then rerun to show the outcome.

    On success the form is emptied and `success` is shown; on refusal nothing
    was written, the values stay and the messages show next to their fields.
    The same values submitted again right after a save are not saved twice: with
    Streamlit's fast reruns, the second click of a double click starts a new run
    while the first one may still be saving, and stops it at its next use of the
    session state (possibly right after its write, before its "saved" is noted).
    So the attempt is noted before the write, and only a refusal clears it.
    """
    typed = {
        k: v for k, v in st.session_state.items() if isinstance(k, str) and k.startswith(f"{form}.")
    }
    sent = f"ui.sent.{form}"  # outside the form's keys: `reset` keeps it
    with _SAVING:
        last = st.session_state.get(sent)
        if (
            last is not None
            and not last["refused"]
            and last["typed"] == typed
            and time.monotonic() - last["at"] < REPEAT_S
        ):
            reset(form)
            flash(success)  # saved once already (or being saved): say so again
            st.rerun()
        # A plain dict, updated without touching the session state (no stop there).
        attempt = {"typed": typed, "at": time.monotonic(), "refused": False}
        st.session_state[sent] = attempt
        try:
            action()
        except InvalidRecord as refusal:
            attempt["refused"] = True
            st.session_state[f"{form}:errors"] = {p.field: p.message_fr for p in refusal.problems}
        except Conflict as conflict:
            attempt["refused"] = True
            st.session_state[f"{form}:conflict"] = conflict.message_fr
            st.session_state.pop(f"{form}:errors", None)
        except (Forbidden, NotFound) as refusal:
            attempt["refused"] = True
            st.session_state[f"{form}:errors"] = {"": refusal.message_fr}
        else:
            reset(form)
            flash(success)
    st.rerun()


def field_error(form: str, field: str) -> None:
    """The French message for one field, right under its input (if it was refused)."""
    message = _errors(form).get(field)
    if message:
        st.error(message)


def status(form: str, fields: Iterable[str] = ()) -> None:
    """The form's banner: a conflict with a reload button, and errors not shown by a field.

    Args:
        form: the form key.
        fields: the fields this form shows `field_error` for (others are listed here).
    """
    conflict = st.session_state.get(f"{form}:conflict")
    if conflict:
        st.warning(conflict, icon="⚠️")
        if st.button("Recharger la fiche", key=f"{form}:reload"):
            reset(form)
            st.rerun()
    errors = _errors(form)
    if errors:
        shown = set(fields)
        rest = [message for field, message in errors.items() if field not in shown]
        st.error(
            "Rien n'a été enregistré : corrigez "
            + ("le champ signalé." if len(errors) == 1 else "les champs signalés.")
            + "".join(f"\n\n{message}" for message in rest)
        )


def label(field: str) -> str:
    """The French label of a field (as the store's messages name it)."""
    return field_label(field)
