"""Every data file the code opens is declared as package data, so `pip install .` ships it."""

from __future__ import annotations

import fnmatch
import tomllib

from tests.paths import ROOT


def test_every_yaml_html_and_static_file_in_a_package_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = config["tool"]["setuptools"]["package-data"]
    missing = []
    for package in ("bot", "adapters", "knowledge", "migrations"):
        patterns = declared.get(package, [])
        for path in (ROOT / package).rglob("*"):
            if (
                path.suffix not in (".yaml", ".html", ".css", ".mako")
                or "__pycache__" in path.parts
            ):
                continue
            relative = path.relative_to(ROOT / package).as_posix()
            # setuptools' "**/" also matches no directory at all
            flat = [pattern.replace("**/", "") for pattern in patterns]
            if not any(fnmatch.fnmatch(relative, pattern) for pattern in [*patterns, *flat]):
                missing.append(f"{package}/{relative}")
    assert missing == []
