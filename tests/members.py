"""Test helpers for member accounts: create one in an instance folder, log a test client in through the form."""
from __future__ import annotations

import re
from pathlib import Path

from indexer.accounts import UserStore

MEMBER, PASSWORD = "lid", "correct paard batterij"

# A two-document catalogue: one public record, one for members only.
MEMBERS_DOC = "ledenverslag"
MEMBERS_CATALOGUE = """\
documents:
  - id: openbaar-verslag
    title: Openbaar verslag
    summary: Een verslag voor iedereen.
    date: 2024-01-01
  - id: ledenverslag
    title: Ledenverslag
    summary: Een verslag alleen voor leden.
    date: 2024-02-01
    access: members
"""

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_member(instance_dir: str | Path, name: str = MEMBER, password: str = PASSWORD) -> None:
    """Create an account the way `kennisbank users add` does."""
    UserStore(instance_dir).add(name, password)


def csrf_from(client, path: str = "/inloggen") -> str:
    """Fetch a page with a form and return its CSRF token."""
    html = client.get(path).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, name: str = MEMBER, password: str = PASSWORD, **extra):
    """Log in through the real form (with its CSRF token) and return the response."""
    data = {"csrf_token": csrf_from(client), "gebruikersnaam": name, "wachtwoord": password, **extra}
    return client.post("/inloggen", data=data)
