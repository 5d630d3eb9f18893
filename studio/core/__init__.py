"""The domain core: records, money and rules. Standard library only (no Qt, SQL or imaging)."""
