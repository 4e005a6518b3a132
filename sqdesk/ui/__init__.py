"""The PySide6 desktop app: main window, views, dialogs, item models, background tasks."""
