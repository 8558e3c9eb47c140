"""Qt user interface: talks to services only."""

from desktop.ui.refcount_guard import guard_singletons

# Before any Qt call: importing any UI module is enough to be protected (see refcount_guard).
guard_singletons()
