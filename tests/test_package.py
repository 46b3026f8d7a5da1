"""The package's public names: some are imported on first use
(govreport/__init__.py), and none may be shadowed by a submodule of the
same name, whatever was imported before."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import govreport

SCRIPT = """
import importlib, pkgutil, types, sys
import govreport
{first}
for name in govreport.__all__:
    value = getattr(govreport, name)
    assert not isinstance(value, types.ModuleType), name
print("ok")
"""


@pytest.mark.parametrize(
    "first",
    [
        "",  # the public names alone
        # every submodule imported first (govreport.render the module, then the function)
        "for info in pkgutil.walk_packages(govreport.__path__, 'govreport.'):\n"
        "    if info.name not in ('govreport.__main__', 'govreport._worker'):\n"
        "        importlib.import_module(info.name)",
    ],
    ids=["names", "submodules-first"],
)
def test_every_public_name_is_what_it_says(first: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(first=first)], capture_output=True, text=True
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_lazy_names_load_on_first_use_and_unknown_names_fail() -> None:
    code = "import sys, govreport; print('govreport.export' in sys.modules); govreport.to_frame; print('govreport.export' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        govreport.nope  # noqa: B018
    assert set(govreport.__all__) <= set(dir(govreport))
    assert isinstance(govreport.render, types.FunctionType)
