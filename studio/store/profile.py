"""ProfileStore: the curator's one profile and declared affiliations in the local store.

Every write is one transaction with its outbox entries (entities ``profile`` and
``affiliation``), like ``studio.store.looks``. Affiliations are rows of their own (UUIDs,
tombstones) so two devices adding different ones never conflict.

The tier is the platform's to set (``studio.core.tiers``): the studio keeps the last tier the
platform gave and never raises it itself. ``update`` and ``save`` refuse it as a field (no
profile edit, from the UI, the CLI or a script, changes it), ``set_tier_from_platform`` is the
one entry point that does (the sync engine calls it with what the platform says), and
``with_platform_tier`` is the rule an archive import applies to the archive's profile record:
whatever tier the archive claims, the workspace keeps its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from studio.core.errors import StoreError
from studio.core.looks import new_id
from studio.core.profile import Affiliation, Profile, Relationship, Tier
from studio.core.tiers import tier_of
from studio.protocol.kinds import kind
from studio.store import records, tx
from studio.store.curation_rows import load_affiliations, load_profile
from studio.store.db import Database
from studio.store.look_rows import replace
from studio.store.values import check_fields

_FIELDS = frozenset({"display_name", "bio", "avatar_hash"})
_NEVER_EDITED = "1970-01-01T00:00:00+00:00"
_TIER_IS_THE_PLATFORMS = (
    "the tier is set by the platform (it grants the full tier after more than five approved "
    "orders), not by a profile edit"
)


PROFILE, AFFILIATION = kind("profile"), kind("affiliation")


def _put_profile(conn: sqlite3.Connection, profile: Profile) -> None:
    records.put(conn, PROFILE, records.record_of(PROFILE, profile), now=profile.updated_at)


def _put_from_platform(conn: sqlite3.Connection, profile: Profile) -> None:
    """The profile row with its stamps as given and NO outbox entry: the value came from the
    platform, which is its authority, so there is nothing to send back."""
    records.put(conn, PROFILE, records.record_of(PROFILE, profile), keep_stamps=True, send=False)


def _put_affiliation(
    conn: sqlite3.Connection, aff: Affiliation, now: str, deleted_at: str | None = None
) -> None:
    records.put(
        conn, AFFILIATION, records.record_of(AFFILIATION, aff, deleted_at=deleted_at), now=now
    )


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {value!r}")
    return value


def _profile_changes(fields: dict[str, object]) -> dict[str, object]:
    """The checked values of the editable profile fields given (TypeError for the tier)."""
    if "tier" in fields:
        raise TypeError(_TIER_IS_THE_PLATFORMS)
    check_fields(fields, _FIELDS, "the profile")
    changes: dict[str, object] = {}
    for name, value in fields.items():
        if name == "avatar_hash":
            if value is not None and not isinstance(value, str):
                raise ValueError(f"avatar_hash must be a media hash or None, not {value!r}")
            changes[name] = value
        else:
            changes[name] = _text(value, name)
    return changes


def _apply(conn: sqlite3.Connection, changes: dict[str, object]) -> Profile:
    profile = replace(load_profile(conn), **changes, updated_at=tx.now_iso())
    _put_profile(conn, profile)
    return profile


def with_platform_tier(
    conn: sqlite3.Connection, incoming: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Incoming profile records (an archive's) with the workspace's own tier in place of the
    one they carry: an archive is not the platform, so it can neither raise nor lower the tier
    (a hand-edited "full" stays the starter the platform gave)."""
    tier = load_profile(conn).tier.value
    return [{**record, "tier": tier} for record in incoming]


def _made(affiliations: Iterable[Affiliation]) -> list[Affiliation]:
    """Each affiliation checked and normalised (an id given to new ones)."""
    return [
        Affiliation.make(a.brand, a.category, a.relationship, a.id or new_id())
        for a in affiliations
    ]


def _replace_affiliations(conn: sqlite3.Connection, wanted: list[Affiliation]) -> None:
    """Tombstone the live ones not wanted; write the new and the changed (only those: an
    unchanged tie is not sent to the platform again)."""
    now = tx.now_iso()
    live = {a.id: a for a in load_affiliations(conn)}
    keep = {a.id for a in wanted}
    for old in live.values():
        if old.id not in keep:
            _put_affiliation(conn, old, now, deleted_at=now)
    for aff in wanted:
        if live.get(aff.id) != aff:
            _put_affiliation(conn, aff, now)


class ProfileStore:
    """The profile (created with defaults on first read) and affiliations."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self) -> Profile:
        """The profile; a new workspace has an empty one at the starter tier."""
        with self.db.connect() as conn:
            return load_profile(conn)

    def update(self, **fields: object) -> Profile:
        """Change display_name, bio and/or avatar_hash (a media hash or None); TypeError for
        the tier, which only ``set_tier_from_platform`` changes."""
        changes = _profile_changes(fields)
        with tx.write(self.db) as conn:
            return _apply(conn, changes)

    def save(self, affiliations: Iterable[Affiliation], **fields: object) -> Profile:
        """The profile dialog's Save: ``update(**fields)`` and ``set_affiliations`` in ONE
        transaction, so a refused field leaves the affiliations as they were, and back."""
        changes = _profile_changes(fields)
        wanted = _made(affiliations)
        with tx.write(self.db) as conn:
            _replace_affiliations(conn, wanted)
            return _apply(conn, changes)

    def set_tier_from_platform(self, tier: Tier | str) -> Profile:
        """Keep the tier the platform just gave (the sync engine's call; nothing else changes
        the tier). No outbox entry: the value came from the platform, which is its authority,
        and the profile's edit stamp is left alone (the tier is not the curator's edit)."""
        level = tier_of(tier)
        with tx.write(self.db) as conn:
            profile = replace(load_profile(conn), tier=level)
            if not profile.updated_at:  # never saved: older than any edit an archive brings
                profile = replace(profile, updated_at=_NEVER_EDITED)
            _put_from_platform(conn, profile)
            return profile

    def affiliations(self) -> list[Affiliation]:
        """The live affiliations, oldest first."""
        with self.db.connect() as conn:
            return load_affiliations(conn)

    def add_affiliation(
        self,
        brand: str,
        category: str,
        relationship: Relationship | str,
        *,
        affiliation_id: str | None = None,
    ) -> Affiliation:
        """Declare a tie (an existing ``affiliation_id`` is revived: redo of an add)."""
        aff = Affiliation.make(brand, category, relationship, affiliation_id or new_id())
        with tx.write(self.db) as conn:
            _put_affiliation(conn, aff, tx.now_iso())
        return aff

    def remove_affiliation(self, affiliation_id: str) -> None:
        """Tombstone a declared tie (StoreError for an unknown id)."""
        with tx.write(self.db) as conn:
            aff = self._get(conn, affiliation_id)
            now = tx.now_iso()
            _put_affiliation(conn, aff, now, deleted_at=now)

    def restore_affiliation(self, affiliation_id: str) -> Affiliation:
        with tx.write(self.db) as conn:
            aff = self._get(conn, affiliation_id)
            _put_affiliation(conn, aff, tx.now_iso())
        return aff

    def set_affiliations(self, affiliations: Iterable[Affiliation]) -> list[Affiliation]:
        """Make the live list exactly ``affiliations`` in one transaction: ones with a known id
        are kept (and updated when changed), others added, the rest tombstoned."""
        wanted = _made(affiliations)
        with tx.write(self.db) as conn:
            _replace_affiliations(conn, wanted)
        return wanted

    @staticmethod
    def _get(conn: sqlite3.Connection, affiliation_id: str) -> Affiliation:
        row = conn.execute(
            "SELECT brand, category, relationship, id FROM affiliations WHERE id = ?",
            (affiliation_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"there is no affiliation with id {affiliation_id!r}")
        return Affiliation(row[0], row[1], Relationship(row[2]), row[3])
