"""Settings files in YAML: reading one, and pydantic's errors as field-named messages.

Scenario and experiment files are both read here, so a person meets the same
message for the same mistake in either. Nothing here knows a scenario or an
experiment: callers pass the model their file is validated against.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

__all__ = ["MAX_BYTES", "YamlFileError", "field_problems", "load_yaml", "messages"]

#: A settings file is a page or two of fields; a bigger one is the wrong file (a
#: results table, a log), and reading it whole would only waste memory.
MAX_BYTES = 1024 * 1024

#: How pydantic names the branch of a plain union in an error's location.
_TYPE_BRANCHES = frozenset({"str", "int", "float", "bool"})
#: An input shown in a message is cut to this many characters.
_SHOWN_INPUT = 60


class YamlFileError(ValueError):
    """A settings file cannot be read as a mapping; `str()` is "<file>: <reason>"."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


def load_yaml(path: str | Path, what: str) -> dict[str, Any]:
    """Read a YAML file holding a mapping of fields.

    Args:
        path: the file.
        what: what the file should be, for the messages ("scenario file").

    Returns:
        The mapping; an empty file gives an empty one.

    Raises:
        YamlFileError: the file is missing, a directory, unreadable, larger than
            `MAX_BYTES`, not UTF-8, not valid YAML (line and column given) or not
            a mapping.
    """
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise YamlFileError(source, "file not found") from None
    except IsADirectoryError:
        raise YamlFileError(source, f"is a directory, not a {what}") from None
    except OSError as exc:
        raise YamlFileError(source, f"cannot be read ({exc})") from None
    if len(raw) > MAX_BYTES:
        raise YamlFileError(
            source, f"too large for a {what} ({len(raw):,} bytes; at most {MAX_BYTES:,})"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(
            source,
            f"cannot be read: not UTF-8 text (byte {raw[exc.start]:#04x} at position "
            f"{exc.start}); save it as UTF-8",
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlFileError(source, f"YAML syntax error at {where}{problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlFileError(source, "the file must hold a mapping of fields")
    return data


def field_problems(
    error: ValidationError, model: type[BaseModel], branches: Collection[str] = ()
) -> list[tuple[str, str]]:
    """Pydantic's errors as (dotted field, reason) pairs, one per field, in order.

    Args:
        error: what `model.model_validate` raised.
        model: the model validated, to suggest a field for an unknown one.
        branches: names pydantic puts in a location for the branch of a tagged
            union ("family_withdrawal"); a person knows no such level, so they
            are left out, as are the type names of a plain union ("list[str]").

    Returns:
        The dotted path of each field at fault (empty for the whole) and why.
    """
    found: dict[str, str] = {}
    for detail in error.errors():
        loc = [str(part) for part in detail["loc"]]
        loc = [part for part in loc if not _is_branch(part, branches)]
        kind = detail["type"]
        if kind == "extra_forbidden":
            reason = "unknown field" + _suggestion(model, loc)
        elif kind == "union_tag_invalid":
            expected = detail.get("ctx", {}).get("expected_tags", "")
            reason = f"unknown kind {detail['ctx']['tag']!r}; expected one of: {expected}"
        elif kind == "value_error":
            message = str(detail["msg"]).removeprefix("Value error, ")
            head, sep, tail = message.partition(": ")
            if sep and " " not in head:
                # Our validators name the field first ("design.samples: ..."),
                # relative to the model that raised.
                loc, reason = [*loc, *head.split(".")], tail
            else:
                reason = message
        else:
            reason = str(detail["msg"])
            if "input" in detail and kind != "missing":
                reason += f" (got {_short(detail['input'])})"
        # A union reports one error per branch; say each place once.
        found.setdefault(".".join(loc), reason)
    return list(found.items())


def messages(
    error: ValidationError, model: type[BaseModel], branches: Collection[str] = ()
) -> list[str]:
    """Pydantic's errors as one line each, "dotted.field: reason" (see `field_problems`)."""
    return [
        f"{path}: {reason}" if path else reason
        for path, reason in field_problems(error, model, branches)
    ]


def _is_branch(part: str, branches: Collection[str]) -> bool:
    return part in branches or part in _TYPE_BRANCHES or "[" in part


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_INPUT else text[: _SHOWN_INPUT - 3] + "..."


def _suggestion(model: type[BaseModel], loc: list[str]) -> str:
    current: Any = model
    for part in loc[:-1]:
        current = _field_model(current, part)
        if current is None:
            return ""
    allowed = sorted(current.model_fields)
    close = difflib.get_close_matches(loc[-1], allowed, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; allowed: {', '.join(allowed)}"


def _field_model(model: Any, part: str) -> Any:
    """The model a field of `model` holds (through lists and unions), or None."""
    if part.isdigit():
        return model
    field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
    if field is None:
        return None
    annotation = field.annotation
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        for inner in getattr(candidate, "__args__", ()):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None
