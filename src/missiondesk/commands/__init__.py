"""Sub-commands of the `missiondesk` command line, one module per group."""
