"""Refuse a SQLite clinic file on a network share: WAL needs one machine's shared memory.

Linux reads `/proc/self/mountinfo` and looks up the mount that holds the file (longest
mount-point prefix; the mount listed last wins where two share a point, as the later one is on
top). macOS asks `statfs` for the file system's type name. Windows treats UNC paths and drives
that `GetDriveTypeW` reports as DRIVE_REMOTE as network shares. Anything the platform cannot
tell us counts as local: the check exists to catch the common mistake, not to forbid a disk.
"""

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from sqlalchemy import make_url

from desktop.services.errors import DatabaseNotReady

MOUNTINFO_PATH = Path("/proc/self/mountinfo")

REMOTE_FILE_SYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smbfs", "smb3", "ncpfs", "9p", "afs", "coda", "ceph",
        "glusterfs", "lustre", "gpfs", "gfs2", "ocfs2", "beegfs", "orangefs", "pvfs2",
        "davfs", "sshfs", "afpfs", "webdav", "fuse.sshfs", "fuse.davfs2", "fuse.glusterfs",
        "fuse.ceph-fuse", "fuse.rclone", "fuse.s3fs", "fuse.gvfsd-fuse", "fuse.smbnetfs",
        "fuse.curlftpfs", "fuse.gcsfuse", "fuse.juicefs",
    }
)  # fmt: skip
"""File system types (Linux mountinfo and macOS statfs names) whose files live elsewhere."""

Detector = Callable[[Path], str | None]
"""Given a database file, the remote file system's type if it is on one, else None."""


@dataclass(frozen=True, slots=True)
class Mount:
    mount_point: str
    fs_type: str
    source: str


def _unescape(field: str) -> str:
    r"""mountinfo writes space, tab, newline and backslash as octal escapes (`\040` …)."""
    for escaped, plain in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(escaped, plain)
    return field


def parse_mountinfo(text: str) -> tuple[Mount, ...]:
    """The mounts in `/proc/<pid>/mountinfo` text, in the order listed; malformed lines skipped.

    A line: id, parent id, major:minor, root, mount point, options, optional fields, "-",
    file system type, source, super options (proc(5))."""
    mounts: list[Mount] = []
    for line in text.splitlines():
        fields = line.split(" ")
        if len(fields) < 10 or "-" not in fields[6:]:
            continue
        separator = fields.index("-", 6)
        if len(fields) < separator + 3:
            continue
        fs_type, source = fields[separator + 1], fields[separator + 2]
        mounts.append(Mount(_unescape(fields[4]), fs_type, _unescape(source)))
    return tuple(mounts)


def _contains(mount_point: str, path: str) -> bool:
    if mount_point == "/":
        return path.startswith("/")
    return path == mount_point or path.startswith(mount_point.rstrip("/") + "/")


def mount_containing(path: str, mounts: Sequence[Mount]) -> Mount | None:
    """The mount that holds an absolute path: the longest mount point that is a whole-component
    prefix of it; of mounts on the same point, the one listed last (it is on top)."""
    best: Mount | None = None
    for mount in mounts:
        if _contains(mount.mount_point, path) and (
            best is None or len(mount.mount_point) >= len(best.mount_point)
        ):
            best = mount
    return best


def is_remote_type(fs_type: str) -> bool:
    return fs_type.lower() in REMOTE_FILE_SYSTEMS


def is_unc_path(path: str) -> bool:
    r"""A Windows path on a server: `\\server\share\…` or `\\?\UNC\server\…`, but not a local
    long-path form such as `\\?\C:\…`."""
    drive = PureWindowsPath(path).drive
    if drive.upper().startswith("\\\\?\\UNC\\"):
        return True
    return drive.startswith("\\\\") and not drive.startswith(("\\\\?\\", "\\\\.\\"))


def _existing(path: Path) -> Path:
    """The file, or for a database not created yet, its nearest existing folder."""
    path = Path(os.path.realpath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _linux_remote_type(path: Path) -> str | None:
    try:
        mounts = parse_mountinfo(MOUNTINFO_PATH.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    mount = mount_containing(str(_existing(path)), mounts)
    return mount.fs_type if mount is not None and is_remote_type(mount.fs_type) else None


class _MacStatfs(ctypes.Structure):
    # struct statfs with 64-bit inodes (<sys/mount.h>); only f_fstypename is read.
    _fields_ = (
        ("f_bsize", ctypes.c_uint32),
        ("f_iosize", ctypes.c_int32),
        ("f_counts", ctypes.c_uint64 * 5),
        ("f_fsid", ctypes.c_int32 * 2),
        ("f_owner", ctypes.c_uint32),
        ("f_type", ctypes.c_uint32),
        ("f_flags", ctypes.c_uint32),
        ("f_fssubtype", ctypes.c_uint32),
        ("f_fstypename", ctypes.c_char * 16),
        ("f_mntonname", ctypes.c_char * 1024),
        ("f_mntfromname", ctypes.c_char * 1024),
        ("f_reserved", ctypes.c_uint32 * 8),
    )


def _macos_remote_type(path: Path) -> str | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        # Intel Macs export the 64-bit-inode variant under this name; Apple silicon as statfs.
        statfs = getattr(libc, "statfs$INODE64", None) or libc.statfs
        result = _MacStatfs()
        if statfs(os.fsencode(_existing(path)), ctypes.byref(result)) != 0:
            return None
        fs_type = result.f_fstypename.decode("ascii", errors="replace")
    except (OSError, AttributeError):
        return None
    return fs_type if is_remote_type(fs_type) else None


def _windows_remote_type(path: Path) -> str | None:
    if is_unc_path(str(path)):
        return "network share"
    if sys.platform == "win32":
        drive_remote = 4  # DRIVE_REMOTE from GetDriveTypeW
        root = PureWindowsPath(path).anchor
        if ctypes.windll.kernel32.GetDriveTypeW(root) == drive_remote:
            return "network drive"
    return None


def remote_file_system(path: Path) -> str | None:
    """The remote file system type holding `path`, or None when it is local or unknown."""
    if sys.platform == "darwin":
        return _macos_remote_type(path)
    if sys.platform == "win32":
        return _windows_remote_type(path)
    return _linux_remote_type(path)  # elsewhere there is no mountinfo, so None


def sqlite_path_of(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other engines and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).absolute()


def refuse_network_share(url: str, detect: Detector = remote_file_system) -> None:
    """Raise DatabaseNotReady when a SQLite database lives on a network file system."""
    path = sqlite_path_of(url)
    if path is None:
        return
    fs_type = detect(path)
    if fs_type is not None:
        raise DatabaseNotReady(
            f"The clinic database {path} is on a network share ({fs_type}). SQLite on a network "
            "share is not supported: it can lose or corrupt saves. Keep the file on this "
            "computer's own disk, or let several workstations share a PostgreSQL database "
            '(README, "Data and safety"). Nothing was opened.'
        )
