"""What bosun builds as it starts lives as long as it does; keep the cyclic collector off it.

Modules, styles, screens and widgets are some 130 000 objects. Every full
collection walked them all: 45–52 ms, about every half a minute, on an idle
dashboard of 50 containers. Frozen once the dashboard is up, they are never
walked again; a full collection then walks only what came since.
"""

from __future__ import annotations

import gc


def freeze_startup() -> None:
    """Freeze what exists now, once per process (later calls do nothing: what came since is not startup)."""
    if not gc.get_freeze_count():
        # No collection first: it would cost the first screen a full walk; what garbage the start
        # left in cycles is kept (a one-time amount).
        gc.freeze()
