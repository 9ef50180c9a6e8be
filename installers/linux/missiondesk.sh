#!/bin/sh
# /usr/bin/missiondesk: the bundle lives in /opt/missiondesk.
exec /opt/missiondesk/missiondesk "$@"
