"""Text encodings named by the caller: ``encoding=`` and ``encoding_errors=``
on the readers, ``--encoding`` and ``--encoding-errors`` on the commands
(docs/formats.md, "Text encodings")."""

from __future__ import annotations

import json
import pickle
import subprocess
from pathlib import Path

import pytest

import govreport
from govreport.formats import DecodingError, UnsupportedFormatError, extract_text

from .conftest import REAL, SEEDS, read
from .test_cli import COMMAND

SEED = SEEDS / "000_b0a0644a2287c115.txt"
TEXT = read(SEED)
#: The byte offset where a byte no encoding here decodes is put.
BAD_AT = 1000


def _cells(path: Path, **options: str) -> dict[str, object]:
    return govreport.parse_file(path, **options).cells()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The seed in GB18030, in UTF-16 (with and without a byte-order mark),
    and in GB18030 with an undecodable byte."""
    gb = TEXT.encode("gb18030")
    made = {
        "gb18030": gb,
        "utf-16": TEXT.encode("utf-16"),
        "utf-16-le": TEXT.encode("utf-16-le"),
        "bad": gb[:BAD_AT] + b"\xff" + gb[BAD_AT:],
    }
    paths = {}
    for name, data in made.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        paths[name] = path
    return paths


def test_a_named_encoding_reads_the_file_as_detection_does(files: dict[str, Path]) -> None:
    expected = govreport.parse(TEXT).cells()
    assert _cells(files["gb18030"]) == expected  # detected
    assert _cells(files["gb18030"], encoding="gb18030") == expected
    assert _cells(files["utf-16"], encoding="utf-16") == expected
    assert _cells(files["utf-16-le"], encoding="utf-16-le") == expected
    # GB2312 and GBK are read as their superset, and said so
    extracted = extract_text(files["gb18030"], encoding="gbk")
    assert (extracted.encoding, extracted.text, extracted.undecodable) == ("gb18030", TEXT, 0)
    # a byte-order mark of the encoding named is dropped
    assert extract_text(b"\xef\xbb\xbf" + TEXT.encode(), encoding="utf-8").text == TEXT


def test_a_named_encoding_is_used_as_it_is(files: dict[str, Path]) -> None:
    # UTF-16 read as GB18030 is not a report; detected, it is
    with pytest.raises(govreport.GovReportError):
        govreport.parse_file(files["utf-16-le"], encoding="gb18030")
    assert extract_text(files["utf-16-le"]).encoding == "utf-16-le"


def test_big5_is_read_when_named() -> None:
    text = "莆田市城市管理局2024年度政府資訊公開工作年度報告\n一、總體情況\n"
    data = text.encode("big5")
    assert extract_text(data, encoding="big5").text == text
    assert extract_text(data, encoding="big5").encoding == "big5"
    with pytest.raises(UnsupportedFormatError):  # never guessed
        assert extract_text(data).text != text


def test_an_undecodable_byte_is_an_error_naming_the_file_and_byte_offset(files: dict[str, Path]) -> None:
    for options in ({}, {"encoding": "gb18030"}):  # detected as GB18030 but for one byte, or named
        with pytest.raises(DecodingError) as caught:
            govreport.parse_file(files["bad"], **options)
        error = caught.value
        assert isinstance(error, UnsupportedFormatError) and isinstance(error, govreport.GovReportError)
        assert str(files["bad"]) in error.message
        assert "GB18030" in error.message and "byte offset" in error.message
        assert error.offset is not None and BAD_AT - 1 <= error.offset <= BAD_AT
        assert f"byte offset {error.offset}" in error.message
        assert (error.encoding, error.path) == ("gb18030", str(files["bad"]))
        line = TEXT.encode("gb18030")[:BAD_AT].count(b"\n") + 1
        assert error.line == line and error.column is not None
        copy = pickle.loads(pickle.dumps(error))  # sent back from worker processes
        assert (copy.offset, copy.encoding, copy.path, str(copy)) == (
            error.offset,
            error.encoding,
            error.path,
            str(error),
        )
    # UTF-8 with a damaged byte, too
    data = TEXT.encode()[:BAD_AT] + b"\xff" + TEXT.encode()[BAD_AT:]
    with pytest.raises(DecodingError) as caught:
        govreport.parse_bytes(data)
    assert caught.value.offset == BAD_AT and "encoding_errors='replace'" in caught.value.message


def test_replace_reads_the_file_with_a_warning_where_the_bytes_were(files: dict[str, Path]) -> None:
    report = govreport.parse_file(files["bad"], encoding_errors="replace")
    assert report.cells() == govreport.parse(TEXT).cells()  # the bad byte is in the narrative
    (found,) = [d for d in report.diagnostics if d.code == "undecodable-bytes"]
    assert found.severity is govreport.Severity.WARNING and found.category is govreport.Category.READING
    assert "gb18030" in found.message and "U+FFFD" in found.message
    extracted = extract_text(files["bad"], encoding_errors="replace")
    assert found.span is not None and extracted.text[found.span.start] == "\ufffd"
    assert extracted.undecodable >= 1
    # ignore drops them, and says so too
    ignored = govreport.parse_file(files["bad"], encoding="gb18030", encoding_errors="ignore")
    assert [d.code for d in ignored.diagnostics if d.code == "undecodable-bytes"] == ["undecodable-bytes"]
    assert "\ufffd" not in extract_text(files["bad"], encoding="gb18030", encoding_errors="ignore").text
    # a clean file has no such warning
    assert not [
        d for d in govreport.parse_file(files["gb18030"]).diagnostics if d.code == "undecodable-bytes"
    ]


def test_an_explicit_encoding_overrides_the_pages_meta_charset() -> None:
    pytest.importorskip("bs4")
    page = '<html><head><meta charset="gb2312"></head><body><p>政府資訊公開工作年度報告</p></body></html>'
    data = page.encode("big5")
    with pytest.raises(UnsupportedFormatError):  # the declared GB2312 does not read it
        extract_text(data)
    extracted = extract_text(data, encoding="big5")
    assert (extracted.format, extracted.encoding, extracted.text.strip()) == (
        "html",
        "big5",
        "政府資訊公開工作年度報告",
    )
    # a real page, in GB18030 but declaring UTF-8, read as named
    original = REAL / "037_putian_cgj_2024.html"
    recoded = original.read_text(encoding="utf-8").encode("gb18030")
    assert (
        govreport.parse_bytes(recoded, encoding="gb18030").cells() == govreport.parse_file(original).cells()
    )
    with pytest.raises(DecodingError) as caught:
        extract_text(recoded, "page.html", encoding="utf-8")
    assert caught.value.format == "html" and "page.html is not UTF-8 text" in caught.value.message


def test_unknown_names_are_lookup_errors_before_reading() -> None:
    with pytest.raises(LookupError):
        govreport.parse_file("/no/such/file.txt", encoding="big6")
    with pytest.raises(LookupError):
        govreport.parse_file("/no/such/file.txt", encoding_errors="nope")
    with pytest.raises(LookupError):
        list(govreport.parse_many([SEED], encoding="big6"))


def test_the_batch_readers_take_the_encoding(files: dict[str, Path], tmp_path: Path) -> None:
    folder = files["bad"].parent
    results = dict(govreport.parse_many([files["bad"], files["gb18030"]], jobs=2, encoding="gb18030"))
    assert isinstance(results[files["bad"]], DecodingError)
    assert isinstance(results[files["gb18030"]], govreport.Report)
    replaced = dict(govreport.parse_many([files["bad"]], encoding_errors="replace"))
    assert isinstance(replaced[files["bad"]], govreport.Report)
    out = tmp_path / "out.jsonl"
    summary = govreport.extract([files["bad"]], out, encoding="gb18030", encoding_errors="replace")
    assert (summary.reports, summary.errors) == (1, 0)
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "undecodable-bytes" in [d["code"] for d in row["diagnostics"]]
    pytest.importorskip("pandas")
    frame = govreport.read_reports([files["bad"], files["gb18030"]], encoding="gb18030")
    assert list(frame["error_type"].fillna("")) == ["DecodingError", ""]
    assert folder.is_dir()


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *map(str, args)], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def test_the_commands_take_encoding_and_encoding_errors(files: dict[str, Path], tmp_path: Path) -> None:
    parsed = run("parse", "--encoding", "utf-16-le", files["utf-16-le"])
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["agency"] == "泽州县卫生健康和体育局"
    refused = run("parse", "--encoding", "gb18030", files["bad"])
    assert refused.returncode == 2
    assert f"{files['bad']}" in refused.stderr and "byte offset" in refused.stderr
    checked = run("check", "--encoding", "gb18030", "--encoding-errors", "replace", files["bad"])
    assert checked.returncode == 0, checked.stderr
    assert "warning undecodable-bytes" in checked.stdout
    failed = run("check", files["bad"])
    assert failed.returncode == 2 and "fatal DecodingError" in failed.stdout
    out = tmp_path / "out.csv"
    extracted = run("extract", "--encoding", "utf-16", files["utf-16"], "-o", out)
    assert extracted.returncode == 0, extracted.stderr
    assert "泽州县卫生健康和体育局" in out.read_text(encoding="utf-8")
    for option, value in (("--encoding", "big6"), ("--encoding-errors", "nope")):
        usage = run("check", option, value, files["gb18030"])
        assert usage.returncode == 2 and "unknown" in usage.stderr and "Traceback" not in usage.stderr
