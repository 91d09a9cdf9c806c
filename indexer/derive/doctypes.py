"""A document type from clear cues in its title and first page: Besluit, Brief, Inventarislijst, Notulen, ..."""
from __future__ import annotations

import re

_EMAIL = re.compile(r"^\s*van\s*:.*\n(?:.*\n){0,6}?\s*(verzonden|aan|datum|sent)\s*:", re.IGNORECASE | re.MULTILINE)
_INVENTORY = re.compile(r"\binventaris(lijst|atielijst)?\b", re.IGNORECASE)
# The columns of a Wob inventory: document names, a verdict ("deels openbaar") and grounds for refusal.
_INVENTORY_COLUMNS = re.compile(r"\b(documentnaam|omschrijving|beoordeling|weigeringsgrond(en)?|deels openbaar|"
                                r"niet openbaar|reeds openbaar)\b", re.IGNORECASE)
_MINUTES = re.compile(r"\b(notulen|verslag van de vergadering|besluitenlijst)\b", re.IGNORECASE)
_GUIDE = re.compile(r"\bhandreiking\b", re.IGNORECASE)
_REPORT = re.compile(r"\b(rapport|eindrapport|onderzoeksrapport|rapportage|evaluatie|jaarverslag)\b", re.IGNORECASE)
# A decision says so: in its subject, as a heading, or in the first person ("Ik besluit", "heb ik besloten").
# Not any word ending in "besluit": a "Bouwbesluit" is the building code, not a decision.
_DECISION_TITLE = re.compile(r"\b((deel|wob-?|herzienings)?besluit|\(deel\)beslissing|beslissing|beschikking|"
                             r"uitspraak op bezwaar)\b", re.IGNORECASE)
_DECISION_TEXT = re.compile(r"(\bik (heb )?(besluit|beslis|besloten)\b|\bbesluit ik\b|\bbeslis ik\b|\bheb besloten\b|"
                            r"\bverklaar (ik )?uw bezwaar\b|^\s*besluit\s*$)", re.IGNORECASE | re.MULTILINE)
_LETTER = re.compile(r"^\s*(geachte|beste)\b|\bretouradres\b", re.IGNORECASE | re.MULTILINE)


def document_type(title: str, first_pages: str) -> tuple[str, str]:
    """Return the type a document shows itself to be, and the cue ("onderwerp", "tekst"), or ("", "")."""
    head = first_pages[:600]
    if _EMAIL.search(head):
        return "E-mail", "tekst"
    if _INVENTORY.search(title) or _INVENTORY.search(head[:300]):
        return "Inventarislijst", "onderwerp" if _INVENTORY.search(title) else "tekst"
    if len({m.group(1).lower() for m in _INVENTORY_COLUMNS.finditer(head)}) >= 3 and not _LETTER.search(head):
        return "Inventarislijst", "tekst"
    if _MINUTES.search(title) or _MINUTES.search(head[:300]):
        return "Notulen", "tekst"
    letter = bool(_LETTER.search(first_pages))
    if _DECISION_TITLE.search(title):
        return "Besluit", "onderwerp"
    if letter and _DECISION_TEXT.search(first_pages):
        return "Besluit", "tekst"
    if letter:
        return "Brief", "tekst"
    if _GUIDE.search(title):
        return "Handreiking", "onderwerp"
    if _REPORT.search(title):
        return "Rapport", "onderwerp"
    return "", ""
