"""Arguments of the services' entry points checked against their annotations, by name.

A screen, a command or an import may hand a service an id typed by a person
(`"x"`, `nan`, `"not-a-list"`). Each entry point decorated with `checked` refuses
such a call with `InvalidRecord` naming the argument and the reason (in French
too), before any rule or query runs; what a service does with good input is
unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from habitat.store.errors import InvalidRecord, Problem
from habitat.store.messages import french_reason, split_field

P = ParamSpec("P")
T = TypeVar("T")

#: Arguments that are the caller's context, not input: the connection and the user.
CONTEXT = frozenset({"db", "user"})


def _adapter(hint: Any) -> TypeAdapter[Any]:
    """A validator for one annotation; a class with a config of its own keeps it."""
    if inspect.isclass(hint) and (dataclasses.is_dataclass(hint) or issubclass(hint, BaseModel)):
        return TypeAdapter(hint)
    return TypeAdapter(hint, config=ConfigDict(arbitrary_types_allowed=True))


def checked(function: Callable[P, T]) -> Callable[P, T]:
    """Validate a service's input arguments against its annotations before it runs.

    Raises (from the decorated function):
        InvalidRecord: an argument of the wrong type or out of bounds, named.
    """
    signature = inspect.signature(function)
    adapters: dict[str, TypeAdapter[Any]] = {}

    def adapter(name: str) -> TypeAdapter[Any] | None:
        if not adapters:  # annotations are resolved once, at the first call
            hints = typing.get_type_hints(function, include_extras=True)
            for parameter in signature.parameters:
                if parameter in hints and parameter not in CONTEXT:
                    adapters[parameter] = _adapter(hints[parameter])
        return adapters.get(name)

    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        bound = signature.bind(*args, **kwargs)
        problems = []
        for name, value in bound.arguments.items():
            check = adapter(name)
            if check is None:
                continue
            try:
                bound.arguments[name] = check.validate_python(value)
            except ValidationError as error:
                for item in error.errors(include_url=False):
                    item = {**item, "loc": (name, *item["loc"])}
                    field, reason = split_field(item)
                    problems.append(Problem(field, reason, french_reason(item, reason)))
        if problems:
            raise InvalidRecord("saisie", problems)
        return function(*bound.args, **bound.kwargs)

    return call


__all__ = ["CONTEXT", "checked"]
