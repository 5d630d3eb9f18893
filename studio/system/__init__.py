"""Paths, settings and logging: where the studio keeps things and how it reports."""
