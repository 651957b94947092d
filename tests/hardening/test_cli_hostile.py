"""``motcua extract`` with good and bad files mixed: one stderr line per bad file naming
it, the good files still read and printed, exit status 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import hostile
import pytest

import ingest.pipeline
from ingest.cli import main

pytestmark = pytest.mark.needs_tesseract

BAD = {
    "huge-page.pdf": (hostile.pdf_huge_page, "83333 x 83333 pixels"),
    "many-pages.pdf": (hostile.pdf_many_pages, "10000 pages"),
    "bomb.png": (hostile.png_bomb, "12000x12000 pixels"),
    "frames.tiff": (hostile.tiff_many_frames, "more than 50 pages"),
    "junk.jpg": (hostile.jpeg_magic_then_junk, "cannot be decoded"),
    "zip.pdf": (hostile.pdf_then_zip, "cannot be decoded"),
    "flate-bomb.pdf": (hostile.pdf_flate_bomb_content, "expands to more than 100 MB"),
    "empty.png": (lambda: b"", "empty"),
    "notes.txt": (lambda: b"just some text\n", "not a PDF, JPEG, PNG"),
}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env["MOTCUA_DATA_DIR"] = str(cwd / "var")
    return subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.slow
def test_extract_reports_each_bad_file_on_one_line_and_reads_the_others(tmp_path: Path) -> None:
    for name, (make, _) in BAD.items():
        (tmp_path / name).write_bytes(make())
    (tmp_path / "a folder").mkdir()
    (tmp_path / "card.heic").write_bytes(hostile.heic())
    (tmp_path / "photo.jpg").write_bytes(hostile.jpeg_exif_orientation(6))
    names = ["card.heic", *BAD, "missing.pdf", "a folder", "photo.jpg"]
    proc = _run(["extract", "--json", *names], tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    expected = {**{n: w for n, (_, w) in BAD.items()}, "missing.pdf": "no such file"}
    expected["a folder"] = "is a directory"
    assert len(lines) == len(expected), proc.stderr
    for line, name in zip(lines, [n for n in names if n in expected], strict=True):
        assert line.startswith(f"motcua: {name}: "), line
        assert expected[name] in line, line
        assert line.count(name) == 1, line  # the name once, not repeated by the reader
    docs = json.loads(proc.stdout)["documents"]
    assert [d["source"] for d in docs] == ["card.heic", "photo.jpg"]


def test_an_unexpected_error_in_one_file_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """GIVEN a reader that crashes (a bug, not bad input) on one file
    WHEN extracting it with a good file THEN one line names it and the other is read."""
    real = ingest.pipeline.extract_file

    def flaky(path: Path, **kw: object):  # noqa: ANN202
        if path.name == "crash.png":
            raise RuntimeError("boom\nsecond line")
        return real(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest.pipeline, "extract_file", flaky)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "var"))
    (tmp_path / "crash.png").write_bytes(hostile.png_alpha())
    (tmp_path / "ok.png").write_bytes(hostile.png_grey16())
    code = main(["extract", "--json", str(tmp_path / "crash.png"), str(tmp_path / "ok.png")])
    out = capsys.readouterr()
    assert code == 1
    (line,) = out.err.strip().splitlines()
    assert line.startswith(f"motcua: {tmp_path / 'crash.png'}: internal error")
    assert "RuntimeError: boom second line" in line
    (doc,) = json.loads(out.out)["documents"]
    assert doc["source"] == str(tmp_path / "ok.png")


def test_a_file_name_with_control_characters_stays_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "var"))
    bad = tmp_path / "evil\nmotcua: ok.png: fine\u202egnp.txt"
    bad.write_bytes(b"not an image")
    assert main(["extract", str(bad)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "\\n" in line and "\\u202e" in line and "not a PDF, JPEG, PNG" in line
