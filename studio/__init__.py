"""Vitrine Studio: the offline desktop studio for product curators, and the Vitrine platform."""

__version__ = "0.1.0"
APP_ID = "io.vitrine.Studio"
APP_NAME = "Vitrine Studio"
