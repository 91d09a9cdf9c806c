"""Settings as data: one table feeds the CLI, the app and the README's settings list."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, Flask config key, default and help text."""

    env: str
    key: str
    default: str
    help: str


SETTINGS = (
    Setting("KENNISBANK_CORPUS", "CORPUS_DIR", str(REPO_ROOT / "corpus"),
            "Folder with catalogue.yaml and pdf/ (default: corpus/ in the repository)."),
    Setting("KENNISBANK_INDEX", "INDEX_DIR", str(REPO_ROOT / "var" / "index"),
            "Folder holding the index generations (default: var/index/ in the repository)."),
    Setting("KENNISBANK_INSTANCE", "INSTANCE_DIR", str(REPO_ROOT / "instance"),
            "Folder for users and the generated secret key (default: instance/, git-ignored)."),
    Setting("KENNISBANK_SECRET_KEY", "SECRET_KEY", "",
            "Session secret; when empty, one is generated once into the instance folder."),
    Setting("KENNISBANK_HTTPS", "SESSION_COOKIE_SECURE", "",
            "Set to 1 when served over HTTPS, so session cookies are marked Secure."),
    Setting("KENNISBANK_JOBS", "JOBS", "",
            "Worker processes for PDF extraction (default: number of cores)."),
    Setting("KENNISBANK_PDF_TIMEOUT", "PDF_TIMEOUT", "120",
            "Seconds one PDF may take to extract before it is skipped."),
    Setting("KENNISBANK_PDF_MEMORY", "PDF_MEMORY", "2048",
            "MiB of memory one PDF extraction worker may use (0 = no limit)."),
)


def from_env(environ: dict | None = None) -> dict[str, str]:
    """Return every setting keyed by its config key, taken from the environment or its default."""
    environ = os.environ if environ is None else environ
    return {s.key: environ.get(s.env) or s.default for s in SETTINGS}
