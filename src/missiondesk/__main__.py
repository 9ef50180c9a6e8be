"""`python -m missiondesk` runs the command line (and, with no sub-command, the desktop app)."""

import sys

from missiondesk.cli import main

sys.exit(main())
