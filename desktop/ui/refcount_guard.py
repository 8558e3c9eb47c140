"""Keeps None, True and False alive despite PySide6 6.12's reference-count slips on Python 3.11.

Measured here with PySide6 6.12.0 on CPython 3.11.7: every call of a Qt method that returns
void (setText, setEnabled, show …) leaves None with one reference fewer, and every
Signal.emit does the same to True. Python 3.12 made these objects immortal (PEP 683), so
nobody notices there; on 3.11 the count reaches zero after enough clicks and Python aborts
("deallocating None" or "bool_dealloc"), losing whatever the nurse was typing. The test
suite alone is enough to hit it at exit.

Giving the three singletons a huge head start does on 3.11 what 3.12 does by design. They
are never freed in any case, so the only effect is that the slips can no longer reach zero.
Remove this module once the project requires Python 3.12 or a PySide6 without the slip.
"""

import ctypes
import sys

_HEAD_START = 1 << 40
"""About 10^12 slips: decades of clicking. Far below the counter's 2^63 limit."""
_guarded = False


def guard_singletons() -> None:
    """Call once, before the first Qt call. Does nothing on Python 3.12 and later."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        # CPython's object header starts with the reference count (a Py_ssize_t).
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += _HEAD_START
    _guarded = True
