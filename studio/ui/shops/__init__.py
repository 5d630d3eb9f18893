"""The shops workspace: a curator's shop list and the shop editor (shelves, items, health)."""
