"""Text a person types: the bounds every stored string respects, and why."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

#: A name, a title, a phone number: one line, long enough for "Association
#: départementale des amis et parents d'enfants inadaptés de la Charente-Maritime".
SHORT_TEXT_MAX = 200
#: A note, a plan, minutes of a meeting: ten pages of text is already a lot to
#: read in a liaison notebook; more is a pasted document, not a note.
LONG_TEXT_MAX = 20_000

# Line breaks and tabs belong in long text; every other control character (Unicode
# category Cc) is invisible, breaks exports and terminals, and is refused. Surrogates
# cannot be stored as UTF-8 at all.
_CONTROL_OR_SURROGATE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _bad_character(text: str, pattern: re.Pattern[str]) -> str | None:
    found = pattern.search(text)
    if found is None:
        return None
    char = found.group()
    kind = "surrogate" if unicodedata.category(char) == "Cs" else "control character"
    return f"U+{ord(char):04X} ({kind})"


def _storable(pattern: re.Pattern[str]):
    """A check that text has no forbidden character (per `pattern`) and is not blank."""

    def check(text: str) -> str:
        bad = _bad_character(text, pattern)
        if bad:
            raise ValueError(f"contains a character that cannot be stored: {bad}")
        if not text.strip():
            raise ValueError("must not be blank")
        return text

    return check


#: One line of text (names, titles, places): stored verbatim.
ShortText = Annotated[
    str,
    StringConstraints(max_length=SHORT_TEXT_MAX),
    AfterValidator(_storable(_CONTROL_OR_SURROGATE)),
]
#: Free text over several lines (notes, plans, minutes): stored verbatim.
LongText = Annotated[
    str, StringConstraints(max_length=LONG_TEXT_MAX), AfterValidator(_storable(_CONTROL_BUT_LINES))
]

_PHONE = re.compile(r"^\+?[0-9][0-9 .\-()]{5,24}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# FINESS: 9 characters, the department first (01-95, 2A/2B for Corsica, 97 for
# overseas), then the serial number and a check digit.
_FINESS = re.compile(r"^(?:[0-9]{2}|2[AB])[0-9]{7}$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


def _matches(pattern: re.Pattern[str], what: str):
    def check(text: str) -> str:
        if not pattern.match(text):
            raise ValueError(f"is not a valid {what}")
        return text

    return check


#: A French or international phone number, as typed ("06 12 34 56 78", "+33 6 ...").
Phone = Annotated[
    str, StringConstraints(max_length=30), AfterValidator(_matches(_PHONE, "phone number"))
]
#: An e-mail address (a light check: the address is confirmed by writing to it).
Email = Annotated[
    str, StringConstraints(max_length=254), AfterValidator(_matches(_EMAIL, "e-mail address"))
]
#: A FINESS number (répertoire national des établissements sanitaires et sociaux).
Finess = Annotated[str, AfterValidator(_matches(_FINESS, "FINESS number (9 characters)"))]
#: A login name: lowercase letters, digits, dot, dash, underscore.
Username = Annotated[str, AfterValidator(_matches(_USERNAME, "user name"))]

#: What erased text becomes (GDPR erasure).
ERASED = "[effacé]"
