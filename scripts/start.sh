#!/usr/bin/env bash
# Set up (first time only) and start the MissionDesk desktop app.
# Any arguments are passed on, e.g. scripts/start.sh --vault ~/missions/alpha
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" run
exec "$md_venv/bin/missiondesk" "$@"
