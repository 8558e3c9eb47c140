""".ci/debian-packages, which `make run` and `make test` call first: it installs missing
Debian packages as root or through sudo, and without either says what to install instead
of failing on a missing `sudo`. Run with stand-in `id`, `dpkg-query`, `sudo` and `apt-get`
on a PATH of their own, so nothing is installed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / ".ci" / "debian-packages"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A PATH holding only what the script needs: `grep`, a `python3` with venv, an `id`
    of an ordinary user and a `dpkg-query` that finds nothing installed."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("grep", "sh"):
        found = shutil.which(tool)
        assert found is not None
        (folder / tool).symlink_to(found)
    (folder / "python3").symlink_to(sys.executable)
    _stub(folder, "id", "echo 1000")
    _stub(folder, "dpkg-query", "exit 1")
    return folder


def _run(bin_dir: Path, *packages: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [str(bin_dir / "sh"), str(SCRIPT), *packages],
        capture_output=True,
        text=True,
        env={"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/")},
        check=False,
        timeout=60,
    )


def test_without_root_or_sudo_it_names_what_to_install(bin_dir: Path) -> None:
    result = _run(bin_dir, "libgl1", "libegl1")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "IsoTrack needs these system packages, which are not installed: libgl1 libegl1",
        "You are not root and sudo is not available, so they cannot be installed from here.",
        "Ask an administrator to run, as root:",
        "  apt-get update && apt-get install -y --no-install-recommends libgl1 libegl1",
        "then run this command again.",
    ]


def test_with_sudo_it_installs_through_sudo(bin_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    _stub(bin_dir, "sudo", f'echo "sudo $*" >> {log}; "$@"')
    _stub(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}')
    result = _run(bin_dir, "libgl1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Installing system packages: libgl1\n"
    assert log.read_text().splitlines() == [
        "sudo apt-get update -qq",
        "apt-get update -qq",
        "sudo apt-get install -y -qq --no-install-recommends libgl1",
        "apt-get install -y -qq --no-install-recommends libgl1",
    ]


def test_nothing_missing_does_nothing(bin_dir: Path) -> None:
    _stub(bin_dir, "dpkg-query", "printf 'install ok installed'")
    result = _run(bin_dir, "libgl1")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
