"""PyInstaller's entry script for the MissionDesk bundle (it takes a script, not an entry point)."""

import sys

from missiondesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
