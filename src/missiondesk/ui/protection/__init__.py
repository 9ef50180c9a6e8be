"""Personnel protection screens: the Personnel section (`page.py`) with its movement board,
headcount, alerts and roster tabs."""
