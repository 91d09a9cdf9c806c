"""Reading order of text boxes: indexer.extract.boxorder makes pdfminer's groups, and the same ones in every process."""
from __future__ import annotations

import random

from pdfminer.layout import LAParams, LTPage, LTTextBox, LTTextBoxHorizontal, LTTextLineHorizontal

from indexer.extract.boxorder import group_textboxes
from indexer.extract.textlayer import LAPARAMS
from tests.pdf_fixtures import BODY, lines_pdf, two_column_pdf


def box(x0: float, y0: float, x1: float, y1: float) -> LTTextBox:
    b = LTTextBoxHorizontal()
    line = LTTextLineHorizontal(0.1)
    line.set_bbox((x0, y0, x1, y1))
    b.add(line)
    b.set_bbox((x0, y0, x1, y1))
    return b


def shape(groups: list, boxes: list):
    """The tree of groups as nested tuples of box numbers, children in their reading order."""
    number = {id(b): n for n, b in enumerate(boxes)}

    def walk(node):
        return number[id(node)] if isinstance(node, LTTextBox) else tuple(walk(child) for child in node)
    return [walk(g) for g in groups]


def pdfminer_groups(boxes: list, bbox=(0, 0, 600, 850)) -> list:
    page = LTPage(1, bbox)
    return page.group_textboxes(LAParams(**LAPARAMS), boxes)


def ordered(groups: list) -> list:
    """Sort each group's children as pdfminer's analyze() does, then read the tree."""
    for group in groups:
        if not isinstance(group, LTTextBox):
            group.analyze(LAParams(**LAPARAMS))
    return groups


def test_the_same_groups_as_pdfminer_on_boxes_at_distinct_distances():
    rng = random.Random(18)
    for trial in range(40):
        boxes = []
        for _ in range(rng.randint(1, 45)):
            x, y = rng.uniform(20, 500), rng.uniform(20, 780)
            boxes.append(box(x, y, x + rng.uniform(5, 90), y + rng.uniform(4, 40)))
        ours = ordered(group_textboxes((0, 0, 600, 850), boxes))
        theirs = ordered(pdfminer_groups(boxes))
        assert shape(ours, boxes) == shape(theirs, boxes), trial


def test_equal_distances_are_broken_the_same_way_every_time():
    # A grid of equal cells: every pair of neighbours is equally far apart. pdfminer breaks such ties by memory
    # address; boxorder by the boxes' order, so the tree does not depend on what the process allocated before.
    def grid():
        return [box(50 + 100 * c, 700 - 30 * r, 130 + 100 * c, 720 - 30 * r) for r in range(6) for c in range(4)]
    first = grid()
    expected = shape(ordered(group_textboxes((0, 0, 600, 850), first)), first)
    for n in range(5):
        ballast = [object() for _ in range(1000 * n)]  # other memory addresses for the next boxes and groups
        boxes = grid()
        assert shape(ordered(group_textboxes((0, 0, 600, 850), boxes)), boxes) == expected
        del ballast


def test_pages_read_as_pdfminer_reads_them(tmp_path, monkeypatch):
    from pdfminer.layout import LTLayoutContainer

    from indexer.extract import boxorder, textlayer

    two = two_column_pdf(tmp_path / "kolommen.pdf", ["De burgemeester kan bij ernstige", "vrees een noodbevel geven."] * 6,
                         ["De driehoek bespreekt de inzet", "van de mobiele eenheid."] * 6)
    letter = lines_pdf(tmp_path / "brief.pdf", [[f"Regel {i}. {BODY[:60]}" for i in range(30)]] * 2,
                       header="Gemeente Zeestad", footer="Pagina {n} van {total}")
    ours = [textlayer.extract_text_layer(p).to_dict() for p in (two, letter)]
    monkeypatch.setattr(boxorder.Page, "group_textboxes", LTLayoutContainer.group_textboxes)
    monkeypatch.setattr(boxorder.Figure, "group_textboxes", LTLayoutContainer.group_textboxes)
    assert [textlayer.extract_text_layer(p).to_dict() for p in (two, letter)] == ours
    assert ours[0]["pages"][0]["text"].startswith("De burgemeester kan bij ernstige")


def test_a_page_whose_pairs_cannot_fit_under_the_memory_cap_fails_at_once():
    # Under an address-space cap, 4,000 boxes (about 1 GB of pairs) fail before a pair is made, instead of crawling
    # at the edge of the cap; 500 boxes (16 MB) are not even checked; without a cap nothing is refused.
    import subprocess
    import sys

    script = ("import resource, sys\n"
              "from indexer.extract.boxorder import check_room\n"
              "if sys.argv[1] == 'cap':\n"
              "    resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, resource.getrlimit(resource.RLIMIT_AS)[1]))\n"
              "check_room(500)\n"
              "try:\n"
              "    check_room(4000)\n"
              "except MemoryError as exc:\n"
              "    print('refused', exc)\n"
              "else:\n"
              "    print('allowed')\n")
    capped = subprocess.run([sys.executable, "-c", script, "cap"], capture_output=True, text=True, timeout=120)
    free = subprocess.run([sys.executable, "-c", script, "free"], capture_output=True, text=True, timeout=120)
    assert capped.stdout.startswith("refused 4000 text boxes need about 976 MB"), capped.stderr
    assert free.stdout.strip() == "allowed", free.stderr
