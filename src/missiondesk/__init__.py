"""MissionDesk: secure coordination for field missions."""

__version__ = "0.1.0"
