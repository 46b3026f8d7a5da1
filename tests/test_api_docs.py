"""docs/api.md, the API reference: generated from the docstrings by
docs/make_api.py, checked in, and up to date; every public name documented."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from .conftest import ROOT, read, script

make_api = script("docs/make_api.py")


def test_the_checked_in_api_reference_is_what_the_docstrings_make() -> None:
    assert read(ROOT / "docs" / "api.md") == make_api.render(), (
        "docs/api.md is out of date: run python docs/make_api.py"
    )


def test_the_check_option_says_when_it_is_out_of_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "api.md"
    monkeypatch.setattr(make_api, "OUT", out)
    monkeypatch.setattr(make_api, "ROOT", tmp_path)
    assert make_api.main(["--check"]) == 1
    assert make_api.main([]) == 0 and make_api.main(["--check"]) == 0
    out.write_text(read(out).replace("Read the text", "Read  the text"), encoding="utf-8")
    assert make_api.main(["--check"]) == 1


def _own_doc(obj: object) -> str:
    """The docstring an object has itself (a class does not inherit its base's here)."""
    if isinstance(obj, type):
        return vars(obj).get("__doc__") or ""
    if isinstance(obj, property):
        return (obj.fget.__doc__ if obj.fget else "") or ""
    return inspect.getdoc(obj) or ""


def test_every_public_name_and_member_has_a_docstring() -> None:
    missing = []
    entries = make_api.entries()
    for entry in entries:
        if entry.kind == "Constants":
            if not make_api.constant_doc(entry):
                missing.append(entry.qualified)
            continue
        if not _own_doc(entry.obj).strip():
            missing.append(entry.qualified)
        if isinstance(entry.obj, type):
            missing += [
                f"{entry.qualified}.{n}" for n, m in make_api.members(entry.obj) if not _own_doc(m).strip()
            ]
    assert missing == []
    import govreport

    documented = {e.name for e in entries if e.module == "govreport"}
    assert documented == set(govreport.__all__) - {"__version__"}


def test_the_reference_links_to_the_names_it_documents() -> None:
    text = read(ROOT / "docs" / "api.md")
    anchors = {
        make_api.anchor(line.lstrip("#").strip()) for line in text.splitlines() if line.startswith("#")
    }
    import re

    links = set(re.findall(r"\]\((#[^)]+)\)", text))
    assert links and links <= anchors
    assert "[`StrictModeError`](#govreportstrictmodeerror)" in text
    assert ":func:" not in text and ":class:" not in text and "``" not in text.replace("```", "")


def test_the_readmes_link_to_it() -> None:
    assert "docs/api.md" in read(ROOT / "README.md")
    assert "(api.md)" in read(ROOT / "docs" / "README.md")
