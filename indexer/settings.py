"""Settings as data, and the only reader of the environment: one table feeds the CLI, the app and the README."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, config key, default, help text and the default as the README shows it."""

    env: str
    key: str
    default: str
    help: str
    shown: str = ""

    @property
    def shown_default(self) -> str:
        """Return the default as a reader sees it (a path relative to the repository, or 'leeg')."""
        return self.shown or (f"`{self.default}`" if self.default else "leeg")


# Help texts are in Dutch: `kennisbank --help` shows them, and the README's settings table is made from them.
SETTINGS = (
    Setting("KENNISBANK_CORPUS", "CORPUS_DIR", str(REPO_ROOT / "corpus"),
            "map met `catalogue.yaml` en `pdf/`", "`corpus/`"),
    Setting("KENNISBANK_INDEX", "INDEX_DIR", str(REPO_ROOT / "var" / "index"),
            "map met de indexgeneraties (niet in git)", "`var/index/`"),
    Setting("KENNISBANK_INSTANCE", "INSTANCE_DIR", str(REPO_ROOT / "instance"),
            "gebruikers, sessies, mislukte inlogpogingen en de gegenereerde sessiesleutel (niet in git)", "`instance/`"),
    Setting("KENNISBANK_SECRET_KEY", "SECRET_KEY", "",
            "sessiesleutel; leeg = eenmalig gegenereerd in de instancemap", "gegenereerd"),
    Setting("KENNISBANK_HTTPS", "SESSION_COOKIE_SECURE", "",
            "`1` als de app via HTTPS bereikbaar is (sessiecookies met Secure)", "leeg"),
    Setting("KENNISBANK_BASE_URL", "BASE_URL", "http://127.0.0.1:8000",
            "adres van de site voor absolute links (OpenSearch, Atom-feed, citaties, exports, e-mails); nooit uit de "
            "Host-header"),
    Setting("KENNISBANK_JOBS", "JOBS", "",
            "werkprocessen voor het uitlezen van PDF's", "aantal kernen"),
    Setting("KENNISBANK_INDEX_JOBS", "INDEX_JOBS", "0",
            "werkprocessen voor het schrijven van de index (0 = aantal kernen); elk schrijft hele segmenten, "
            "alleen bij genoeg tekst"),
    Setting("KENNISBANK_INDEX_SEGMENTS", "INDEX_SEGMENTS", "",
            "segmenten per index bij een volledige build (bij genoeg tekst); meer maakt `update` sneller en de eerste "
            "zoekvraag per woord trager, 1 = één segment (`update` schrijft dan alles opnieuw)", "`8`"),
    Setting("KENNISBANK_OCR", "OCR", "1",
            "`0` = geen OCR: gescande pagina's blijven zonder tekst tot een build met `1` (die leest ze opnieuw)"),
    Setting("KENNISBANK_PDF_TIMEOUT", "PDF_TIMEOUT", "120",
            "seconden die één PDF (of één OCR-pagina) mag duren; daarna probeert pypdfium2 het"),
    Setting("KENNISBANK_PDF_MEMORY", "PDF_MEMORY", "2048",
            "MiB geheugen per werkproces voor PDF's (0 = geen grens)"),
    Setting("KENNISBANK_PAGE_CACHE_MB", "PAGE_CACHE_MB", "200",
            "MiB schijfruimte voor gerenderde PDF-pagina's (paginaweergave) in de indexmap; de oudste gaan eerst weg"),
    Setting("KENNISBANK_SMTP_HOST", "SMTP_HOST", "",
            "mailserver voor meldingen van bewaarde zoekopdrachten (`kennisbank alerts verstuur`)", "leeg"),
    Setting("KENNISBANK_SMTP_PORT", "SMTP_PORT", "25", "poort van de mailserver"),
    Setting("KENNISBANK_SMTP_USER", "SMTP_USER", "", "gebruikersnaam bij de mailserver (leeg = niet inloggen)", "leeg"),
    Setting("KENNISBANK_SMTP_PASSWORD", "SMTP_PASSWORD", "", "wachtwoord bij de mailserver", "leeg"),
    Setting("KENNISBANK_SMTP_FROM", "SMTP_FROM", "kennisbank@localhost", "afzender van de meldingen"),
    Setting("KENNISBANK_SMTP_STARTTLS", "SMTP_STARTTLS", "",
            "`1` om de verbinding met de mailserver met STARTTLS te versleutelen", "leeg"),
    Setting("KENNISBANK_TEST_PAUSE_AT", "TEST_PAUSE_AT", "",
            "alleen voor fouttests: pauzeer een build bij een stap (`extraction`, `writing`, `commit`, `switch`)",
            "leeg"),
    Setting("KENNISBANK_TEST_PAUSE_SECONDS", "TEST_PAUSE_SECONDS", "60",
            "alleen voor fouttests: hoe lang die pauze duurt"),
)
BY_KEY = {s.key: s for s in SETTINGS}


def from_env(environ: dict | None = None) -> dict[str, str]:
    """Return every setting keyed by its config key, taken from the environment or its default."""
    environ = os.environ if environ is None else environ
    return {s.key: environ.get(s.env) or s.default for s in SETTINGS}


def get(key: str, environ: dict | None = None) -> str:
    """Return one setting by its config key (e.g. "CORPUS_DIR"), from the environment or its default."""
    setting = BY_KEY[key]
    environ = os.environ if environ is None else environ
    return environ.get(setting.env) or setting.default


def child_environment(**extra: str) -> dict[str, str]:
    """Return the environment for a child process (e.g. Tesseract), with some variables set."""
    return {**os.environ, **extra}


def markdown_table() -> str:
    """Return the README's settings table (a docs test fails when the README drifts from this)."""
    rows = ["| variable | default | meaning (as `kennisbank --help` shows it) |", "| --- | --- | --- |"]
    rows += [f"| `{s.env}` | {s.shown_default} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)


def help_epilog() -> str:
    """Return the settings as the CLI's --help lists them: variable, meaning and default, one per line."""
    lines = ["Instellingen (omgevingsvariabelen, gelezen door de CLI en de app):"]
    lines += [f"  {s.env}: {s.help.replace('`', '')} (standaard: {s.shown_default.strip('`')})"
              for s in SETTINGS if not s.key.startswith("TEST_")]
    return "\b\n" + "\n".join(lines)  # \b: click keeps these lines as they are


if __name__ == "__main__":  # python -m indexer.settings: print the README's settings table
    print(markdown_table())
