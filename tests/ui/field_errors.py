"""Where a form shows its messages: the French error right under a given input."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block


def _find(block: Block, key: str) -> str | None:
    children = list(block.children.values())
    for i, node in enumerate(children):
        if getattr(node, "key", None) == key:
            after = children[i + 1] if i + 1 < len(children) else None
            return after.value if after is not None and after.type == "error" else ""
        if isinstance(node, Block):
            found = _find(node, key)
            if found is not None:
                return found
    return None


def error_under(app: AppTest, key: str) -> str:
    """The error shown right after the input keyed `key` ("" when none)."""
    found = _find(app._tree, key)
    assert found is not None, f"no input keyed {key}"
    return found


def frame_text(app: AppTest) -> str:
    """Every cell and column name of every table the page shows, joined."""
    parts = []
    for frame in app.dataframe:
        df = frame.value
        parts.extend(str(c) for c in df.columns)
        parts.extend(str(v) for v in df.to_numpy().ravel())
    return "\n".join(parts)


def option_text(app: AppTest) -> str:
    """Every option label of every select box."""
    return "\n".join(str(o) for box in app.selectbox for o in box.options)
