"""A deterministic synthetic Dutch corpus: catalogue records and page texts, no PDFs.

Words are drawn by frequency from a Dutch word list (wordfreq's, in the `bench` extra), with the knowledge
base's domain terms mixed in; each document has a topic that makes a few domain terms more likely.
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass
from typing import Iterator

from indexer.corpus import Record
from indexer.extract import ExtractedPDF, Page

# Bump when the generated text changes, so cached benchmark indexes are rebuilt.
GENERATOR_VERSION = "1"

DOMAIN_TERMS = (
    "polarisatie", "extremisme", "radicalisering", "ordeverstoring", "ordeverstoringen", "burgemeester",
    "noodverordening", "noodbevel", "internetverbod", "handreiking", "handreikingen", "gemeente", "gemeenten",
    "jongerenwerk", "sociale media", "demonstratierecht", "openbare orde", "handhaving", "weerbaarheid",
    "desinformatie", "complotdenken", "rellen", "jaarwisseling", "veiligheidsregio", "driehoek", "politie",
    "Openbaar Ministerie", "bestuurlijke aanpak", "terrorismebestrijding", "dreigingsbeeld", "online oproepen",
    "maatschappelijke onrust", "wijkagent", "signalering", "preventie", "nazorg", "samenlevingsopbouw",
    "gebiedsverbod", "cameratoezicht", "Coördinator", "anti-institutioneel", "meldpunt", "escalatie",
    "de-escalatie", "boerenprotesten", "coronamaatregelen", "avondklok", "Wet Mbvo", "artikel 172 Gemeentewet",
)
AUTHORS = ("NCTV", "VNG", "Politieacademie", "NHL Stenden", "Universiteit Utrecht", "Verwey-Jonker Instituut",
           "Movisie", "Rijksoverheid", "WODC", "Gemeente Amsterdam", "Gemeente Rotterdam", "Gemeente Utrecht",
           "Gemeente Den Haag", "Gemeente Eindhoven", "RIEC", "Nationale Politie", "Raad van State",
           "Kennisplatform Inclusief Samenleven", "Instituut voor Veiligheids- en Crisismanagement", "Pharos")
DOCTYPES = ("Rapport", "Handreiking", "Handboek", "Beleidsnotitie", "Kamerbrief", "Factsheet", "Algemeen")
SECTIONS = ("Onderzoeksrapporten en publicaties", "Praktische hulp", "Wet- en regelgeving",
            "Beleid en bestuur", "Achtergrond")

DOMAIN_SHARE = 0.02      # share of words that are domain terms
TOPIC_SHARE = 0.6        # of those, the share drawn from the document's own topic terms
MIN_PAGES, MAX_PAGES = 6, 14
PAGE_WORDS_MEAN, PAGE_WORDS_SD = 320, 90


@dataclass(frozen=True)
class Vocabulary:
    """Words with cumulative weights for frequency-weighted drawing."""

    words: tuple[str, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def from_frequencies(cls, pairs) -> "Vocabulary":
        """Build from (word, frequency) pairs."""
        words, freqs = zip(*pairs)
        return cls(tuple(words), tuple(itertools.accumulate(freqs)))


def dutch_vocabulary(size: int = 30000) -> Vocabulary:
    """Return the most frequent Dutch words (alphabetic only) with wordfreq's frequencies."""
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list("nl", size) if w.isalpha()]
    return Vocabulary.from_frequencies((w, word_frequency(w, "nl")) for w in words)


@dataclass
class SyntheticDocument:
    """One generated document: its catalogue record and its pages, as extraction would give them."""

    record: Record
    pdf: ExtractedPDF


class CorpusGenerator:
    """Generates the same documents for the same seed and vocabulary, document by document."""

    def __init__(self, vocabulary: Vocabulary, seed: int = 8):
        self.vocab = vocabulary
        self.seed = seed

    def documents(self, count: int) -> Iterator[SyntheticDocument]:
        """Yield `count` documents; document i is the same whatever count is asked for."""
        for i in range(count):
            yield self.document(i)

    def document(self, i: int) -> SyntheticDocument:
        """Return document number i (0-based)."""
        rng = random.Random(f"{self.seed}:{i}")
        topic = rng.sample(DOMAIN_TERMS, 4)
        n_pages = rng.randint(MIN_PAGES, MAX_PAGES)
        pages = [Page(number=1, text=self._sentences(rng, topic, rng.randint(15, 40)), section=None)]
        for n in range(2, n_pages + 1):
            words = max(60, min(650, int(rng.gauss(PAGE_WORDS_MEAN, PAGE_WORDS_SD))))
            pages.append(Page(number=n, text=self._sentences(rng, topic, words),
                              section=f"Hoofdstuk {1 + (n - 2) // 3}"))
        title = " ".join([topic[0].capitalize(), *self._words(rng, topic, rng.randint(2, 6))])
        date = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(18 * 365))
        record = Record(
            id=f"syn-{i:06d}", title=title, summary=self._sentences(rng, topic, rng.randint(25, 60)),
            date=date, author=rng.choice(AUTHORS), doctype=rng.choice(DOCTYPES), section=rng.choice(SECTIONS),
            pages=n_pages, pdf=f"syn-{i:06d}.pdf", access="public", order=i,
        )
        return SyntheticDocument(record=record, pdf=ExtractedPDF(pages=pages, title=title, date=date))

    def _words(self, rng: random.Random, topic: list[str], count: int) -> list[str]:
        words = rng.choices(self.vocab.words, cum_weights=self.vocab.cum_weights, k=count)
        for j in range(count):
            if rng.random() < DOMAIN_SHARE:
                words[j] = rng.choice(topic) if rng.random() < TOPIC_SHARE else rng.choice(DOMAIN_TERMS)
        return words

    def _sentences(self, rng: random.Random, topic: list[str], count: int) -> str:
        """Return about `count` words as sentences of 6 to 22 words, with capitals and full stops."""
        words = self._words(rng, topic, count)
        out, start = [], 0
        while start < len(words):
            end = start + rng.randint(6, 22)
            sentence = " ".join(words[start:end])
            out.append(sentence[:1].upper() + sentence[1:] + ".")
            start = end
        return " ".join(out)


def queries(vocabulary: Vocabulary, count: int = 200, seed: int = 8) -> list[dict]:
    """Return `count` varied requests: 1 to 3 words (domain terms and common words), some with a filter or page 2."""
    rng = random.Random(f"queries:{seed}")
    # Mid-frequency words: frequent enough to match, rare enough to be a plausible search word.
    middle = [w for w in vocabulary.words[300:6000] if len(w) > 3]
    out = []
    for n in range(count):
        size = rng.choice((1, 1, 2, 2, 3))
        words = []
        for _ in range(size):
            words.append(rng.choice(DOMAIN_TERMS) if rng.random() < 0.6 else rng.choice(middle))
        # Some domain terms are two or three words: keep the query at three words at most.
        text = " ".join(dict.fromkeys(w.lower() for w in words))
        params = {"q": " ".join(text.split()[:3])}
        if n % 4 == 3:
            params["doctype"] = rng.choice(DOCTYPES)
        if n % 10 == 9:
            params["page"] = "2"
        out.append(params)
    return out
