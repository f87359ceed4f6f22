"""Home pages, health check, language switch, navigation and demo data."""
