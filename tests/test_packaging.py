"""The hand-kept package list in pyproject.toml covers every folder that must install."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _listed_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def _code_packages() -> set[str]:
    found = set()
    for top in ("desktop", "db"):
        for init in (ROOT / top).rglob("__init__.py"):
            found.add(".".join(init.parent.relative_to(ROOT).parts))
    return found


def _resource_folders() -> set[str]:
    folders = {"isotrack_resources"}
    for folder in (ROOT / "resources").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__":
            parts = folder.relative_to(ROOT / "resources").parts
            folders.add(".".join(("isotrack_resources", *parts)))
    return folders


def test_every_code_package_is_listed_for_installation() -> None:
    assert _code_packages() - _listed_packages() == set()


def test_every_resources_folder_is_listed_for_installation() -> None:
    assert _resource_folders() - _listed_packages() == set()
