"""The look composer: the look library and the look editor (photo, hotspots, products)."""
