"""Entry point of the PyInstaller bundle: runs ``studio.ui.app.main`` as ``vitrine-studio``.

A separate launcher (rather than ``studio/ui/app.py`` itself as the script) keeps
``studio.ui.app`` an ordinary module inside the bundle, imported once under its real name.
"""

import sys

from studio.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
