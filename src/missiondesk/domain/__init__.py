"""Mission records, operations, clocks and ids. Imports nothing else of missiondesk."""
