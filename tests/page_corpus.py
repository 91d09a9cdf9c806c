"""A small corpus for the page view: a text PDF with bookmarks and a compound word, and a partly scanned letter."""
from __future__ import annotations

import textwrap
from pathlib import Path

from tests.pdf_fixtures import lines_pdf, scan_pdf

PAGE_CATALOGUE = textwrap.dedent("""\
    theme:
      title: Testthema
      intro: Pagina's met markeringen.
    documents:
      - id: besluit-internet
        title: Besluit over het internetverbod
        summary: Een besluit over een verbod op oproepen via internet.
        date: 2024-03-01
        author: Gemeente Testdam
        doctype: Besluit
        section: Besluiten
        pdf: besluit.pdf
      - id: gescande-brief
        title: Gescande brief over cameratoezicht
        summary: Een brief waarvan de tweede pagina een scan is.
        date: 2023-05-01
        author: Gemeente Testdam
        doctype: Brief
        section: Besluiten
        pdf: scan.pdf
    """)

# Page 2 and page 4 hold the compound "internetverbod"; page 4 also "verbod" on its own; page 3 neither.
BESLUIT_PAGES = [
    ["Inleiding bij dit besluit.", "De gemeente werkt samen met politie en Openbaar Ministerie."],
    ["Het college besluit als volgt.", "Het internetverbod van de burgemeester geldt in de wijk.",
     "Burgers worden betrokken bij dialoog en preventie."],
    ["Overwegingen over de openbare orde.", "Burgers en organisaties worden betrokken bij preventie."],
    ["Slotbepalingen.", "Een verbod op samenscholing blijft gelden naast het internetverbod.",
     "Dit besluit treedt in werking op 15 april 2024."],
]
SCAN_PAGES = [["Begeleidende brief bij het besluit over toezicht."],
              ["Besluit over cameratoezicht", "in het centrum van Testdam."]]


def write_page_corpus(root: Path) -> Path:
    """Write the corpus under root and return it."""
    pdf = root / "pdf"
    pdf.mkdir(parents=True)
    (root / "catalogue.yaml").write_text(PAGE_CATALOGUE, encoding="utf-8")
    lines_pdf(pdf / "besluit.pdf", BESLUIT_PAGES, outline=[(1, "Inleiding"), (2, "Het besluit"), (4, "Slot")])
    scan_pdf(pdf / "scan.pdf", SCAN_PAGES, scanned={2})
    return root
