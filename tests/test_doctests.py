"""The examples in the package's docstrings run, against the installed package.

Running them through ``doctest`` on the imported modules (rather than pytest's
``--doctest-modules`` on the source tree) works the same for editable and regular installs.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import betanketid_rules

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(betanketid_rules.__path__, prefix="betanketid_rules.")
)


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as error:  # an optional extra (docs, durable) is not installed
        pytest.skip(f"{name} needs an optional dependency: {error}")


@pytest.mark.parametrize("name", ["betanketid_rules", *MODULES])
def test_docstring_examples_run(name: str) -> None:
    module = _import(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


PUBLIC_FUNCTIONS = [
    name for name in betanketid_rules.__all__ if inspect.isfunction(getattr(betanketid_rules, name))
]
PUBLIC_CLASSES = [
    name for name in betanketid_rules.__all__ if inspect.isclass(getattr(betanketid_rules, name))
]


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_every_public_function_has_a_running_example(name: str) -> None:
    doc = getattr(betanketid_rules, name).__doc__ or ""
    assert ">>>" in doc, f"{name} has no example in its docstring"


@pytest.mark.parametrize("name", PUBLIC_CLASSES)
def test_every_public_class_is_documented(name: str) -> None:
    doc = getattr(betanketid_rules, name).__doc__ or ""
    assert doc.strip(), f"{name} has no docstring"
