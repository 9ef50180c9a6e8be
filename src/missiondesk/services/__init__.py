"""Use cases shared by the command line and the desktop app: validate, build an operation,
apply it through the vault, and report what changed. No Qt here."""
