"""The profile dialog: display name, bio, avatar, tier and declared affiliations."""
