"""File > Export archive… and Import archive…: the curator's work in one portable file."""
