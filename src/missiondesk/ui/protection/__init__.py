"""Personnel protection screens: the movement board (more to come: headcount, roster)."""
