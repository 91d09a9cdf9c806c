"""How to extract: worker processes, time and memory per PDF, whether to OCR; read from the settings table."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

log = logging.getLogger("indexer.extract")


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract: worker processes (0 = number of cores), seconds and MiB per task, whether to OCR."""

    jobs: int = 0
    timeout: float = 120.0
    memory_mb: int = 2048
    ocr: bool = True

    @classmethod
    def from_settings(cls, settings: dict) -> "ExtractOptions":
        """Build options from the settings table (KENNISBANK_JOBS, _PDF_TIMEOUT, _PDF_MEMORY, _OCR).

        A value that is no number is named in a Dutch warning and its default used: a typo in the environment
        must not stop a build with a traceback.
        """
        return cls(jobs=_number(settings, "JOBS", int, 0), timeout=_number(settings, "PDF_TIMEOUT", float, 120.0),
                   memory_mb=_number(settings, "PDF_MEMORY", int, 0), ocr=ocr_wanted(settings))

    @property
    def workers(self) -> int:
        """The number of worker processes to use at most."""
        if self.jobs > 0:
            return self.jobs
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1


def _number(settings: dict, key: str, kind, default):
    raw = str(settings.get(key) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value < 0:
        log.warning("KENNISBANK_%s=%r is geen getal van 0 of meer: de standaardwaarde %s wordt gebruikt",
                    key, raw, default)
        return default
    return value


def ocr_wanted(settings: dict, warn: bool = True) -> bool:
    """Tell whether KENNISBANK_OCR asks for OCR (default yes); another value than 0 or 1 is named in a warning."""
    raw = str(settings.get("OCR") or "").strip().lower()
    if raw in ("0", "nee", "uit"):
        return False
    if raw not in ("", "1", "ja", "aan") and warn:
        log.warning("KENNISBANK_OCR=%r is geen 0 of 1: de standaardwaarde 1 wordt gebruikt", raw)
    return True
