"""Write the converter fixtures of this directory: PDFs put through the
PDF-to-markdown converters users reach for, as they hand the text over.

    python tests/data/converters/make.py     # from the project root, with the test extra installed

Inputs: the two PDFs the format tests build (tests/test_formats.py, the
2021- and 2019-template reports whose every cell is known) and a real
published PDF (tests/data/real/063_huaian_szf_2024.pdf, golden read by hand
beside it). Outputs: ``NAME.CONVERTER.md`` for CONVERTER in markitdown and
pymupdf4llm. tests/test_converters.py reads them back against the goldens.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[2]


def markitdown(path: Path) -> str:
    from markitdown import MarkItDown

    return MarkItDown().convert(str(path)).text_content


def pymupdf4llm(path: Path) -> str:
    import pymupdf4llm

    return pymupdf4llm.to_markdown(str(path))


CONVERTERS: dict[str, Callable[[Path], str]] = {"markitdown": markitdown, "pymupdf4llm": pymupdf4llm}


def pdfs(work: Path) -> dict[str, Path]:
    """The PDFs to convert, by fixture name."""
    sys.path.insert(0, str(ROOT))
    from tests import test_formats

    out = {"063_huaian_szf_2024": ROOT / "tests" / "data" / "real" / "063_huaian_szf_2024.pdf"}
    for template in ("2021", "2019"):
        path = work / f"built_{template}.pdf"
        path.write_bytes(test_formats.rendered(template, "pdf"))
        out[f"built_{template}"] = path
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        for name, pdf in pdfs(Path(work)).items():
            for converter, convert in CONVERTERS.items():
                target = HERE / f"{name}.{converter}.md"
                target.write_text(convert(pdf), encoding="utf-8")
                print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
