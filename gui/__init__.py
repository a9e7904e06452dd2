"""PySide6 widgets, models and dialogs (no business rules: every action goes through ``actions/``)."""
