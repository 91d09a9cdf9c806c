"""Dates as Dutch readers write them: '11 juni 2024'."""
from __future__ import annotations

MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december").split()


def dutch_date(iso: str) -> str:
    """Format an ISO date as '11 juni 2024' (anything else is returned as it is)."""
    try:
        year, month, day = (int(x) for x in iso.split("-"))
        return f"{day} {MONTHS[month - 1]} {year}"
    except (ValueError, IndexError, AttributeError):
        return iso
