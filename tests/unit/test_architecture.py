"""The layering ARCHITECTURE.md asks for, checked on the source: imports point inward only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from bitten.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "common" / "bitten"
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth (TYPE_CHECKING blocks included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def outside(path: Path, allowed: tuple[str, ...]) -> set[str]:
    """Imports of `path` that are neither stdlib nor under one of the `allowed` prefixes."""
    return {
        m for m in imports_of(path) if m.split(".")[0] not in STDLIB and not m.startswith(allowed)
    }


@pytest.mark.parametrize("path", files("domain"), ids=str)
def test_domain_is_stdlib_and_pydantic_only(path):
    assert outside(path, ("pydantic", "bitten.domain")) == set()


@pytest.mark.parametrize("path", files("strategy"), ids=str)
def test_strategy_is_numpy_and_domain_only(path):
    assert outside(path, ("numpy", "bitten.strategy", "bitten.domain")) == set()


@pytest.mark.parametrize("path", files("services"), ids=str)
def test_services_see_ports_and_domain_never_adapters(path):
    allowed = ("pydantic", "bitten.domain", "bitten.ports", "bitten.services", "bitten.logs")
    allowed += ("bitten.metrics",)  # stdlib only, like logs: EMF lines on stdout
    allowed += (
        "bitten.strategy.candles",
        "bitten.strategy.venom",
    )  # type names, under TYPE_CHECKING
    assert outside(path, allowed) == set()


@pytest.mark.parametrize("path", files("services"), ids=str)
def test_services_carry_no_any(path):
    assert "Any" not in {
        a.name
        for n in ast.walk(ast.parse(path.read_text()))
        if isinstance(n, ast.ImportFrom)
        for a in n.names
    }


def test_nothing_imports_the_api_but_its_entry_points():
    users = [
        p
        for p in PACKAGE.rglob("*.py")
        if not p.is_relative_to(PACKAGE / "api")
        and not p.is_relative_to(PACKAGE / "local")
        and any(m.startswith("bitten.api") for m in imports_of(p))
    ]
    assert users == []
