"""What every `kennisbank` command shares: folder options from the settings table, Dutch errors, exit codes."""
from __future__ import annotations

import errno
from pathlib import Path

import click

from .. import settings

EXIT_SKIPPED = 3


class DutchError(click.ClickException):
    """A domain error at the CLI's edge, shown as "Fout: ..." (click's own prefix is English)."""

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        click.echo(f"Fout: {self.format_message()}", err=True)


def _setting_option(*names: str, key: str, **kwargs):
    setting = settings.BY_KEY[key]
    return click.option(*names, type=click.Path(file_okay=False, path_type=Path), default=None,
                        help=f"{kwargs.pop('what')} (standaard ${setting.env} of {setting.shown_default.strip('`')}).",
                        **kwargs)


corpus_option = _setting_option("--corpus", key="CORPUS_DIR", what="Corpusmap")
index_option = _setting_option("--index", "index_dir", key="INDEX_DIR", what="Indexmap")
instance_option = _setting_option("--instance", "instance_dir", key="INSTANCE_DIR", what="Instancemap")
json_option = click.option("--json", "as_json", is_flag=True, help="Schrijf het resultaat als JSON.")


def folder(given: Path | None, key: str) -> Path:
    """Return the folder given on the command line, or else the one the settings name."""
    return Path(given) if given else Path(settings.get(key))


OS_REASONS = {
    errno.ENOSPC: "de schijf is vol", errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EACCES: "geen schrijfrechten op de indexmap", errno.EPERM: "geen schrijfrechten op de indexmap",
    errno.EROFS: "de indexmap staat op een alleen-lezen bestandssysteem",
    errno.EFBIG: "een bestand wordt te groot voor het bestandssysteem",
    errno.ENOTDIR: "een deel van het pad is geen map",
}


def os_reason(exc: OSError) -> str:
    """Return a Dutch reason for an operating-system error (full disk, no write permission, ...)."""
    return OS_REASONS.get(exc.errno, exc.strerror or str(exc))


def plural(count: int, one: str, many: str) -> str:
    """Return "1 document" or "3 documenten"."""
    return f"{count} {one if count == 1 else many}"
