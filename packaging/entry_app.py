"""The bundle's window (no console window on Windows)."""

import sys

from desktop.launch import main

sys.exit(main())
