"""Compare metadata derived from PDFs with a hand-checked list: titles, dates, organisations and types.

Usage: .venv/bin/python -m bench.metadata_eval [--show] [--heldout]   (BENCH_PDFS=folder, default ../shared/bench-pdfs)
The lists were written by reading the PDFs (text and page images), not from this code's output:
bench/data/metadata_truth.csv (50 letters the rules were developed on) and, with --heldout,
bench/data/metadata_heldout.csv (23 other PDFs, incl. scans, e-mails and inventories, written afterwards and not
used for tuning). Empty cells mean the document does not state that value; they are not counted. "before" is what the build showed until now (PDF metadata, else the file name); "after" is
indexer.derive. Extraction results are cached in bench/var/metadata-cache/.
"""
from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

from bench.extraction import pdf_folder
from indexer.derive import derive
from indexer.extract import ExtractedPDF, ExtractOptions, extract_many

REPO = Path(__file__).resolve().parent.parent
TRUTH = REPO / "bench" / "data" / "metadata_truth.csv"
HELDOUT = REPO / "bench" / "data" / "metadata_heldout.csv"
CACHE = REPO / "bench" / "var" / "metadata-cache"
_DEBRIS = re.compile(r"[+_]|\.(pdf|docx?|csv)\b|^(bes|inv|bij)\b", re.IGNORECASE)


def norm(text: str) -> str:
    """Casefold, strip accents, quotes and punctuation, collapse spaces."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().casefold()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


def same_title(got: str, want: str) -> bool:
    """Equal after normalising, or sharing at least 80% of their words (OCR may miss a word)."""
    a, b = set(norm(got).split()), set(norm(want).split())
    return bool(a and b) and (a == b or len(a & b) / len(a | b) >= 0.8)


def one_of(got: str, want: str) -> bool:
    """Match against alternatives written "A|B" (an agency and its ministry both show in a letterhead)."""
    return bool(got) and norm(got) in {norm(w) for w in want.split("|")}


def before(path: Path, pdf: ExtractedPDF) -> tuple[str, str, str, str]:
    """What plan.py derived before indexer.derive: metadata title else file name, metadata date, no author/type."""
    title = pdf.title or path.stem.replace("_", " ").replace("-", " ").strip()
    return title, pdf.date.isoformat() if pdf.date else "", "", ""


def after(path: Path, pdf: ExtractedPDF) -> tuple[str, str, str, str]:
    """What indexer.derive reads from the document."""
    d = derive([p.text for p in pdf.pages], cover=[tuple(c) for c in pdf.cover], meta_title=pdf.title,
               meta_date=pdf.date, file_stem=path.stem)
    return d.title, d.date.isoformat() if d.date else "", d.author, d.doctype


def main(argv: list[str]) -> int:
    folder = pdf_folder()
    if folder is None or not folder.is_dir():
        print("geen map met PDF's (BENCH_PDFS)", file=sys.stderr)
        return 1
    truth = HELDOUT if "--heldout" in argv else TRUTH
    rows = list(csv.DictReader(truth.open(encoding="utf-8")))
    paths = [folder / r["file"] for r in rows]
    results = extract_many(paths, ExtractOptions(jobs=2), cache_dir=CACHE, prune=False)
    counts = {name: {"title": 0, "date": 0, "author": 0, "doctype": 0, "debris": 0} for name in ("before", "after")}
    dated = sum(1 for r in rows if r["date"])
    authored = sum(1 for r in rows if r["organisation"])
    typed = sum(1 for r in rows if r["doctype"])
    for row, path in zip(rows, paths):
        pdf = results[path]
        if not isinstance(pdf, ExtractedPDF):
            print(f"{row['file']}: niet gelezen ({pdf})")
            continue
        for name, fn in (("before", before), ("after", after)):
            title, date, author, doctype = fn(path, pdf)
            c = counts[name]
            c["title"] += same_title(title, row["title"])
            c["debris"] += bool(_DEBRIS.search(title))
            c["date"] += bool(row["date"]) and date == row["date"]
            c["author"] += bool(row["organisation"]) and one_of(author, row["organisation"])
            c["doctype"] += bool(row["doctype"]) and one_of(doctype, row["doctype"])
            if name == "after" and "--show" in argv:
                marks = ["T" if same_title(title, row["title"]) else "t", "D" if date == row["date"] else "d",
                         "O" if one_of(author, row["organisation"]) else "o",
                         "Y" if one_of(doctype, row["doctype"]) else "y"]
                print("".join(marks), Path(row["file"]).name[:50])
                for got, want in ((title, row["title"]), (date, row["date"]), (author, row["organisation"]),
                                  (doctype, row["doctype"])):
                    if got != want and not one_of(got, want) and not same_title(got, want):
                        print(f"     got {got!r}\n    want {want!r}")
    n = len(rows)
    print(f"{n} PDFs, {dated} with a date, {authored} with an organisation, {typed} with a type ({truth.name})")
    print(f"{'':8}{'titles':>10}{'debris':>8}{'dates':>10}{'orgs':>10}{'types':>10}")
    for name, c in counts.items():
        print(f"{name:8}{c['title']:>6}/{n:<3}{c['debris']:>8}{c['date']:>6}/{dated:<3}{c['author']:>6}/{authored:<3}"
              f"{c['doctype']:>6}/{typed:<3}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
