"""Local SQLite storage. No Qt here."""
