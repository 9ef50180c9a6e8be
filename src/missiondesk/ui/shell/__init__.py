"""The frame around the sections: banner, status bar, tray, idle lock, settings."""
