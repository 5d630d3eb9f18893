"""The boards feature: collage boards of product images, photos and text (see ``api.py``)."""
