"""Talking to the Vitrine platform: API client, sign-in and the sync engine (no Qt)."""
