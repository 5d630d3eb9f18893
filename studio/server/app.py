"""Entry point reserved for the Vitrine platform server (``studio-server``).

The platform's capabilities (accounts, catalogs, sync, pages, ledger) arrive with their own
issues; until then this command says so plainly instead of pretending to serve.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print(
        "studio-server: the Vitrine platform server is not part of this release yet; "
        "the desktop studio works fully offline (run `studio --help`).",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
