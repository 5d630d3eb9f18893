"""The Vitrine platform server (its capabilities arrive with the platform issues)."""
