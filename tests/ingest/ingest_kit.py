"""Helpers for the service tests (settings, a service under test, generated files)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

from ingest.auth import create_token
from ingest.runtime import Runtime
from ingest.settings import Settings
from storage.db.session import session_scope


def make_settings(tmp_path: Path, database_url: str | None = None, **overrides: object) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path / "var",
        database_url=database_url,
        _env_file=None,  # type: ignore[call-arg]
        **overrides,  # type: ignore[arg-type]
    )


@dataclass
class Service:
    """A migrated database, an object store and an API client; enqueued ids collected."""

    settings: Settings
    runtime: Runtime
    client: TestClient
    enqueued: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, role: str, office: str | None = "ubnd-a", name: str | None = None) -> str:
        with session_scope(self.runtime.sessions) as s:
            token, _ = create_token(s, name=name or f"{role}@{office}", role=role, office=office)
        return token

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def png_bytes(size: tuple[int, int] = (400, 300), text: str = "CĂN CƯỚC CÔNG DÂN") -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(im)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 24)
    except OSError:
        font = ImageFont.load_default()
    draw.text((20, 20), text, fill="black", font=font)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def jpeg_bytes(size: tuple[int, int] = (400, 300), seed: int = 0) -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 255, size=(size[1], size[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    from PIL import Image

    ims = [Image.new("RGB", (200, 280), "white") for _ in range(pages)]
    buf = io.BytesIO()
    ims[0].save(buf, format="PDF", save_all=True, append_images=ims[1:])
    return buf.getvalue()
