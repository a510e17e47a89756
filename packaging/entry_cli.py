"""The bundle's `worksheet` command (no arguments: the window)."""

import sys

from desktop.cli import main

sys.exit(main())
