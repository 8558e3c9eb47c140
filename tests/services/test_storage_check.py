"""Network-share detection: mountinfo parsing, the mount that holds a file, and open_clinic's
refusal of a SQLite file on a remote file system."""

import sys
from pathlib import Path

import pytest

from desktop.services import storage_check
from desktop.services.context import open_clinic
from desktop.services.errors import DatabaseNotReady
from desktop.services.storage_check import (
    Mount,
    is_remote_type,
    is_unc_path,
    mount_containing,
    parse_mountinfo,
    refuse_network_share,
    sqlite_path_of,
)

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
40 27 0:45 / /srv/clinic rw,relatime shared:7 - nfs4 files.example:/export/clinic rw,vers=4.2
41 40 8:17 / /srv/clinic/local-cache rw,relatime - ext4 /dev/sdb1 rw
42 27 0:46 / /mnt/Shared\\040Drive rw,nosuid - cifs //nas/Shared\\040Drive rw,vers=3.1.1
43 27 0:47 / /mnt/share rw - fuse.sshfs nurse@host:/data rw
44 27 0:48 / /mnt/share2 rw master:3 unbindable - xfs /dev/sdc1 rw
45 27 0:49 / /home/nina/cloud rw - fuse.rclone remote: rw
46 27 0:50 / /mnt/over rw - 9p host rw
47 46 0:51 / /mnt/over rw - tmpfs tmpfs rw
48 27 0:52 /sub /mnt/bind\\134name rw - ext4 /dev/vda rw
this line is not a mount
"""


def _fs_type_of(path: str) -> str | None:
    mount = mount_containing(path, parse_mountinfo(MOUNTINFO))
    return None if mount is None else mount.fs_type


def test_parse_mountinfo_reads_point_type_and_source() -> None:
    mounts = parse_mountinfo(MOUNTINFO)
    assert len(mounts) == 11  # the malformed line is skipped
    assert mounts[2] == Mount("/srv/clinic", "nfs4", "files.example:/export/clinic")
    assert mounts[7].fs_type == "fuse.rclone"


def test_parse_mountinfo_unescapes_spaces_and_backslashes() -> None:
    mounts = parse_mountinfo(MOUNTINFO)
    assert mounts[4] == Mount("/mnt/Shared Drive", "cifs", "//nas/Shared Drive")
    assert mounts[10].mount_point == "/mnt/bind\\name"


def test_optional_fields_before_the_separator_are_skipped() -> None:
    assert parse_mountinfo(MOUNTINFO)[6] == Mount("/mnt/share2", "xfs", "/dev/sdc1")


@pytest.mark.parametrize(
    ("path", "fs_type"),
    [
        ("/home/nina/isotrack.db", "ext4"),
        ("/srv/clinic/isotrack.db", "nfs4"),
        ("/srv/clinic", "nfs4"),
        ("/srv/clinic/local-cache/isotrack.db", "ext4"),  # nested local mount inside NFS
        ("/srv/clinicx/isotrack.db", "ext4"),  # a prefix, but not a whole path component
        ("/mnt/Shared Drive/IsoTrack/isotrack.db", "cifs"),
        ("/mnt/Shared/isotrack.db", "ext4"),
        ("/mnt/share/isotrack.db", "fuse.sshfs"),
        ("/mnt/share2/isotrack.db", "xfs"),  # longest prefix, not first match
        ("/home/nina/cloud/clinic/isotrack.db", "fuse.rclone"),
        ("/mnt/over/isotrack.db", "tmpfs"),  # mounted over the 9p share: the top one counts
        ("/mnt/bind\\name/isotrack.db", "ext4"),
    ],
)
def test_the_longest_mount_point_prefix_holds_the_file(path: str, fs_type: str) -> None:
    assert _fs_type_of(path) == fs_type


def test_no_mount_table_means_no_mount() -> None:
    assert mount_containing("/x/y.db", ()) is None


@pytest.mark.parametrize(
    ("fs_type", "remote"),
    [
        ("nfs", True),
        ("nfs4", True),
        ("cifs", True),
        ("smb3", True),
        ("smbfs", True),
        ("fuse.sshfs", True),
        ("9p", True),
        ("afs", True),
        ("ceph", True),
        ("glusterfs", True),
        ("fuse.davfs2", True),
        ("davfs", True),
        ("NFS", True),
        ("ext4", False),
        ("xfs", False),
        ("btrfs", False),
        ("apfs", False),
        ("tmpfs", False),
        ("overlay", False),
        ("fuse.encfs", False),
    ],
)
def test_remote_file_system_types(fs_type: str, remote: bool) -> None:
    assert is_remote_type(fs_type) is remote


@pytest.mark.parametrize(
    ("path", "unc"),
    [
        (r"\\nas\clinic\isotrack.db", True),
        (r"\\?\UNC\nas\clinic\isotrack.db", True),
        (r"\\?\C:\IsoTrack\isotrack.db", False),
        (r"C:\Users\nina\AppData\Local\IsoTrack\isotrack.db", False),
        ("/home/nina/isotrack.db", False),
    ],
)
def test_unc_paths_are_network_shares(path: str, unc: bool) -> None:
    assert is_unc_path(path) is unc


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/clinic/isotrack.db", Path("/srv/clinic/isotrack.db")),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://u:p@db.example/clinic", None),
    ],
)
def test_only_sqlite_files_are_checked(url: str, expected: Path | None) -> None:
    assert sqlite_path_of(url) == expected


def test_refusal_names_the_share_and_points_to_postgresql() -> None:
    with pytest.raises(DatabaseNotReady) as refused:
        refuse_network_share("sqlite:////srv/clinic/isotrack.db", lambda _path: "nfs4")
    message = refused.value.user_message()
    assert "network share (nfs4)" in message
    assert "SQLite on a network share is not supported" in message
    assert "PostgreSQL" in message
    assert '"Data and safety"' in message


def test_a_local_file_is_accepted() -> None:
    refuse_network_share("sqlite:////home/nina/isotrack.db", lambda _path: None)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux mountinfo")
@pytest.mark.sqlite_only
def test_open_clinic_refuses_a_file_on_a_network_mount(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    fake = tmp_path / "mountinfo"
    escaped = str(share).replace(" ", r"\040")
    fake.write_text(
        f"27 1 254:0 / / rw - ext4 /dev/vda rw\n90 27 0:90 / {escaped} rw - cifs //nas/c rw\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(storage_check, "MOUNTINFO_PATH", fake)
    database = share / "isotrack.db"
    with pytest.raises(DatabaseNotReady, match="network share"):
        open_clinic(f"sqlite:///{database}")
    assert not database.exists()  # refused before anything was created or opened


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux mountinfo")
def test_this_machines_real_mount_table_parses() -> None:
    text = Path("/proc/self/mountinfo").read_text(encoding="utf-8")
    mounts = parse_mountinfo(text)
    assert mounts
    assert mount_containing("/", mounts) is not None
