"""A corpus for UI tests: enough documents for facets, sorting and paging, generated PDFs, one members-only record."""
from __future__ import annotations

import textwrap
from pathlib import Path

from tests.pdfs import make_pdf

FILLER = ("De gemeente werkt samen met politie en Openbaar Ministerie aan de aanpak van maatschappelijke onrust. "
          "Burgers en organisaties worden betrokken bij dialoog en preventie. ")

# (id, title, date, author, doctype, section, theme words on pages 1..3)
DOCUMENTS = [
    ("polarisatie-wijk", "Polarisatie in de wijk", "2024-05-02", "VAR", "Handboek", "Praktische hulp",
     ["polarisatie in de wijk", "spanningen tussen groepen en polarisatie", "dialoog tegen polarisatie"]),
    ("polarisatie-onderzoek", "Onderzoek naar polarisatie en sociale media", "2023-03-14", "NHL Stenden", "Rapport",
     "Onderzoeksrapporten en publicaties",
     ["polarisatie online", "algoritmes versterken polarisatie", "aanbevelingen voor gemeenten"]),
    ("polarisatie-monitor-2022", "Monitor polarisatie 2022", "2022-11-30", "NCTV", "Rapport",
     "Onderzoeksrapporten en publicaties", ["monitor polarisatie", "cijfers over polarisatie", "trend"]),
    ("polarisatie-monitor-2021", "Monitor polarisatie 2021", "2021-10-01", "NCTV", "Rapport",
     "Onderzoeksrapporten en publicaties", ["monitor polarisatie", "cijfers over polarisatie", "trend"]),
    ("handreiking-demonstraties", "Handreiking demonstraties en polarisatie", "2024-09-01", "VAR", "Handboek",
     "Praktische hulp", ["demonstraties", "polarisatie bij demonstraties", "draaiboek"]),
    ("internetverbod-deel-1", "Het internetverbod, deel 1", "2023-02-24", "Buitenhuis en Bantema", "Rapport",
     "Bevoegdheden burgemeester", ["internetverbod", "de burgemeester en het internetverbod", "polarisatie online"]),
    ("internetverbod-deel-2", "Het internetverbod, deel 2", "2023-06-01", "Buitenhuis en Bantema", "Rapport",
     "Bevoegdheden burgemeester", ["internetverbod", "uitvoerbaarheid van het internetverbod", "handhaving"]),
    ("extremisme-strategie", "Nationale extremismestrategie", "2024-01-15", "NCTV", "Beleidsstuk",
     "Onderzoeksrapporten en publicaties", ["extremisme", "polarisatie en extremisme", "strategie"]),
    ("jongerenwerk-preventie", "Jongerenwerk en preventie van polarisatie", "2020-06-20", "Movisie", "Handboek",
     "Praktische hulp", ["jongerenwerk", "preventie van polarisatie", "signalering"]),
    ("sociale-stabiliteit", "Sociale stabiliteit en polarisatie in gemeenten", "2019-04-11", "Movisie", "Rapport",
     "Onderzoeksrapporten en publicaties", ["sociale stabiliteit", "polarisatie in gemeenten", "netwerken"]),
    ("ordeverstoringen-online", "Online aangejaagde ordeverstoringen", "2022-03-03", "NHL Stenden", "Rapport",
     "Onderzoeksrapporten en publicaties", ["ordeverstoringen", "online oproepen en polarisatie", "rellen"]),
    ("dialoog-methodiek", "Methodiek voor dialoog bij polarisatie", "2021-02-08", "VAR", "Handboek",
     "Praktische hulp", ["dialoog", "gespreksleiding bij polarisatie", "oefeningen"]),
]

# Only members may see this document; its unique word must never reach an anonymous visitor.
MEMBERS_ONLY_ID = "vertrouwelijk-dreigingsbeeld"
MEMBERS_ONLY_WORD = "zwaluwstaartoverleg"


def write_ui_corpus(root: Path) -> Path:
    """Write catalogue.yaml and one three-page PDF per document under root; return root."""
    pdf_dir = root / "pdf"
    pdf_dir.mkdir(parents=True)
    records = []
    for n, (doc_id, title, date, author, doctype, section, words) in enumerate(DOCUMENTS):
        pages = [f"Hoofdstuk {i + 1}. Over {w}. " + FILLER * 2 + f"Meer over {w}." for i, w in enumerate(words)]
        make_pdf(pdf_dir / f"{doc_id}.pdf", pages, title=title)
        records.append(dict(id=doc_id, title=title, summary=f"{title}: over {words[0]} en {words[1]}.",
                            date=date, author=author, doctype=doctype, section=section, pdf=f"{doc_id}.pdf"))
    make_pdf(pdf_dir / "vertrouwelijk.pdf", [f"Het {MEMBERS_ONLY_WORD} over polarisatie en extremisme. " + FILLER])
    records.append(dict(id=MEMBERS_ONLY_ID, title=f"Vertrouwelijk dreigingsbeeld {MEMBERS_ONLY_WORD}",
                        summary=f"Alleen voor leden: het {MEMBERS_ONLY_WORD} over polarisatie en extremisme.",
                        date="2024-10-10", author="NCTV", doctype="Rapport",
                        section="Onderzoeksrapporten en publicaties", pdf="vertrouwelijk.pdf", access="members"))
    lines = ["theme:", "  title: Testthema", "  intro: Een testcorpus voor de zoekervaring.", "documents:"]
    for r in records:
        lines.append(f"  - id: {r['id']}")
        for key in ("title", "summary", "date", "author", "doctype", "section", "pdf", "access"):
            if key in r:
                value = r[key] if key == "date" else '"' + r[key].replace('"', "'") + '"'
                lines.append(f"    {key}: {value}")
    (root / "catalogue.yaml").write_text(textwrap.dedent("\n".join(lines)) + "\n", encoding="utf-8")
    return root
