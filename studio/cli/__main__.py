"""``python -m studio.cli``: the same as the ``studio`` command."""

from studio.cli.app import main

raise SystemExit(main())
