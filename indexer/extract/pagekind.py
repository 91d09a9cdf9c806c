"""What kind of page a text is: running prose (a letter, a report) or a table, inventory, list or contents page."""
from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+(?:[-'.,/:]\w+)*")
PROSE_LINE_WORDS = 6      # a line of running text holds at least this many words...
PROSE_LINE_DIGITS = 0.25  # ...of which at most this share holds a digit (a table row is dates, numbers, codes)


def prose_share(text: str) -> float:
    """Return the share (0..1) of a page's words that stand in lines of running text.

    A letter or report page scores near 1; an inventory list, a table of figures or a table of contents (short
    cells, one per line, or rows of numbers and codes) near 0. Measured on the bench PDFs: decision letters
    0.7-1.0, inventory lists 0.0-0.3, a contents page 0.0.
    """
    words = prose = 0
    for line in text.splitlines():
        tokens = _TOKEN.findall(line)
        words += len(tokens)
        if len(tokens) >= PROSE_LINE_WORDS:  # only then do digits count; most tokens are letters only
            digits = sum(1 for t in tokens if not t.isalpha() and any(c.isdigit() for c in t))
            if digits <= PROSE_LINE_DIGITS * len(tokens):
                prose += len(tokens)
    return prose / words if words else 0.0


def prose_percent(text: str) -> int:
    """Return prose_share as a whole percentage (what the index stores per page)."""
    return round(100 * prose_share(text))
