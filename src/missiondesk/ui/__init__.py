"""The desktop app: PySide6 widgets and views. The only package importing Qt widgets."""
