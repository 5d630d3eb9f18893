"""An archive job run in a child process and held still, so a test can kill it mid-way.

``python -m tests.media.staging_job import HOME ARCHIVE`` runs ``studio --home HOME archive
import ARCHIVE`` for real; when every photo is staged (the first ``publish``) it prints
``ready`` and waits to be killed. ``... export HOME OUT`` runs ``studio archive export OUT``
and holds before the archive is moved into place. Not a test module: test_staging.py runs it.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from studio.cli import main
from studio.media.library import MediaLibrary
from studio.store.archive_zip import ArchiveWriter


def _hold(*args: Any, **kwargs: Any) -> Any:
    print("ready", flush=True)
    while True:  # until SIGKILL
        time.sleep(1)


if __name__ == "__main__":
    command, home, path = sys.argv[1:4]
    if command == "import":
        MediaLibrary.publish = _hold  # type: ignore[method-assign]
    else:
        ArchiveWriter.commit = _hold  # type: ignore[method-assign]
    sys.exit(main(["--home", home, "archive", command, path]))
