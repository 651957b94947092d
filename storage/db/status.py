"""The status flow of dossiers and documents, in one place.

    received -> processing -> awaiting_review -> verified | rejected
    received | processing -> failed (with a reason)

A document goes back to ``received`` when its processing is released for a retry or
re-run by an administrator; a dossier goes back to ``processing`` when a document is
added after it was ready for review.
"""

from __future__ import annotations

from typing import Final


class Status:
    RECEIVED: Final = "received"
    PROCESSING: Final = "processing"
    AWAITING_REVIEW: Final = "awaiting_review"
    VERIFIED: Final = "verified"
    REJECTED: Final = "rejected"
    FAILED: Final = "failed"
    ALL: Final = (RECEIVED, PROCESSING, AWAITING_REVIEW, VERIFIED, REJECTED, FAILED)
    FINAL: Final = frozenset({VERIFIED, REJECTED})
    DONE_PROCESSING: Final = frozenset({AWAITING_REVIEW, VERIFIED, REJECTED, FAILED})
    """A document in one of these no longer holds its dossier back from review."""


DOCUMENT_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    Status.RECEIVED: frozenset({Status.PROCESSING, Status.FAILED}),
    Status.PROCESSING: frozenset({Status.AWAITING_REVIEW, Status.FAILED, Status.RECEIVED}),
    Status.AWAITING_REVIEW: frozenset({Status.VERIFIED, Status.REJECTED, Status.RECEIVED}),
    Status.FAILED: frozenset({Status.RECEIVED, Status.REJECTED}),
    Status.VERIFIED: frozenset(),
    Status.REJECTED: frozenset(),
}

DOSSIER_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    Status.RECEIVED: frozenset({Status.PROCESSING, Status.AWAITING_REVIEW, Status.FAILED}),
    Status.PROCESSING: frozenset({Status.AWAITING_REVIEW, Status.FAILED}),
    Status.AWAITING_REVIEW: frozenset({Status.VERIFIED, Status.REJECTED, Status.PROCESSING}),
    Status.FAILED: frozenset({Status.PROCESSING, Status.REJECTED}),
    Status.VERIFIED: frozenset(),
    Status.REJECTED: frozenset(),
}

STATUS_LABELS_VI: Final[dict[str, str]] = {
    Status.RECEIVED: "Đã tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.AWAITING_REVIEW: "Chờ kiểm tra",
    Status.VERIFIED: "Đã xác minh",
    Status.REJECTED: "Bị từ chối",
    Status.FAILED: "Lỗi xử lý",
}


class InvalidTransition(ValueError):
    def __init__(self, kind: str, old: str, new: str) -> None:
        super().__init__(f"{kind} cannot go from {old!r} to {new!r}")
        self.kind, self.old, self.new = kind, old, new


def can_move(kind: str, old: str, new: str) -> bool:
    table = DOCUMENT_TRANSITIONS if kind == "document" else DOSSIER_TRANSITIONS
    return new in table.get(old, frozenset())


def check_transition(kind: str, old: str, new: str) -> None:
    """Raise :class:`InvalidTransition` unless ``old -> new`` is allowed for ``kind``."""
    if kind not in ("document", "dossier"):
        raise ValueError(f"unknown kind {kind!r}")
    if not can_move(kind, old, new):
        raise InvalidTransition(kind, old, new)


def sources_of(kind: str, new: str) -> frozenset[str]:
    """Every status from which ``kind`` may move to ``new`` (for conditional UPDATEs)."""
    table = DOCUMENT_TRANSITIONS if kind == "document" else DOSSIER_TRANSITIONS
    return frozenset(old for old, targets in table.items() if new in targets)
