"""Error reports for logs without personal data.

An exception's message may quote what it choked on: a field value, an applicant's
name in an SQL error's parameters. Logs keep the exception types and the stack (enough
for an operator to find the bug), never the messages.
"""

from __future__ import annotations

import traceback


def safe_traceback(exc: BaseException) -> str:
    """The stack of ``exc`` and of its causes, with every exception message left out."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        kind = f"{type(current).__module__}.{type(current).__qualname__}"
        parts.append(f"{kind} (message withheld)\n{frames}")
        current = current.__cause__ or current.__context__
    return "caused by:\n".join(parts).rstrip()
