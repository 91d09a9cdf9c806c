"""The organisation behind a document, from its letterhead or cover: a named body, its web address or its Postbus."""
from __future__ import annotations

import re

# Bodies that sign their own letters, most specific first; "Ministerie van ..." and "Gemeente X" are read as written.
NAMED = (
    "Dienst Justitiële Inrichtingen", "Rijksdienst voor Ondernemend Nederland",
    "Nederlandse Voedsel- en Warenautoriteit", "Inspectie van het Onderwijs", "Rijksvastgoedbedrijf",
    "Kabinet Minister-President", "Belastingdienst", "Rijkswaterstaat", "Nationaal Coördinator Terrorismebestrijding en Veiligheid",
    "Inspectie Gezondheidszorg en Jeugd", "Autoriteit Persoonsgegevens", "Nationaal Archief", "Agentschap Telecom",
    "Openbaar Ministerie", "Raad van State", "Tweede Kamer der Staten-Generaal", "Algemene Rekenkamer",
    "Wetenschappelijke Raad voor het Regeringsbeleid", "Raad voor het Openbaar Bestuur",
    "Ministerie van Algemene Zaken", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "Ministerie van Buitenlandse Zaken", "Ministerie van Defensie", "Ministerie van Economische Zaken en Klimaat",
    "Ministerie van Economische Zaken", "Ministerie van Financiën", "Ministerie van Infrastructuur en Waterstaat",
    "Ministerie van Justitie en Veiligheid", "Ministerie van Veiligheid en Justitie",
    "Ministerie van Landbouw, Natuur en Voedselkwaliteit", "Ministerie van Onderwijs, Cultuur en Wetenschap",
    "Ministerie van Sociale Zaken en Werkgelegenheid", "Ministerie van Volksgezondheid, Welzijn en Sport",
    "Ministerie van Infrastructuur en Milieu", "Ministerie van Klimaat en Groene Groei",
    "Ministerie van Volkshuisvesting en Ruimtelijke Ordening", "Ministerie van Asiel en Migratie",
)
# Web addresses in a letterhead's column name the sender when its logo is only an image.
DOMAINS = (
    ("rvo.nl", "Rijksdienst voor Ondernemend Nederland"), ("nvwa.nl", "Nederlandse Voedsel- en Warenautoriteit"),
    ("dji.nl", "Dienst Justitiële Inrichtingen"), ("belastingdienst.nl", "Belastingdienst"),
    ("onderwijsinspectie.nl", "Inspectie van het Onderwijs"), ("rijksvastgoedbedrijf.nl", "Rijksvastgoedbedrijf"),
    ("minbuza.nl", "Ministerie van Buitenlandse Zaken"), ("nederlandwereldwijd.nl", "Ministerie van Buitenlandse Zaken"),
    ("minaz.nl", "Ministerie van Algemene Zaken"), ("minfin.nl", "Ministerie van Financiën"),
    ("minbzk", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"),
    ("rijksoverheid.nl/jenv", "Ministerie van Justitie en Veiligheid"),
    ("rijksoverheid.nl/lnv", "Ministerie van Landbouw, Natuur en Voedselkwaliteit"),
    ("minlnv.nl", "Ministerie van Landbouw, Natuur en Voedselkwaliteit"),
    ("rijksoverheid.nl/ezk", "Ministerie van Economische Zaken en Klimaat"),
    ("amsterdam.nl", "Gemeente Amsterdam"), ("rotterdam.nl", "Gemeente Rotterdam"), ("denhaag.nl", "Gemeente Den Haag"),
    ("utrecht.nl", "Gemeente Utrecht"), ("nctv.nl", "Nationaal Coördinator Terrorismebestrijding en Veiligheid"),
)
# The central government's published answer numbers (Postbus) in Den Haag, for letterheads without readable names.
POSTBUS = {
    "20201": "Ministerie van Financiën", "20301": "Ministerie van Justitie en Veiligheid",
    "20350": "Ministerie van Volksgezondheid, Welzijn en Sport", "20011": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "20061": "Ministerie van Buitenlandse Zaken", "20901": "Ministerie van Infrastructuur en Waterstaat",
    "16375": "Ministerie van Onderwijs, Cultuur en Wetenschap", "20001": "Ministerie van Algemene Zaken",
    "20401": "Ministerie van Economische Zaken en Klimaat", "20701": "Ministerie van Defensie",
    "90801": "Ministerie van Sociale Zaken en Werkgelegenheid", "30132": "Dienst Justitiële Inrichtingen",
    "40225": "Rijksdienst voor Ondernemend Nederland", "43006": "Nederlandse Voedsel- en Warenautoriteit",
    "2730": "Inspectie van het Onderwijs", "16169": "Rijksvastgoedbedrijf", "20010": "Ministerie van Defensie",
}
_GEMEENTE = re.compile(r"\bGemeente\s+((?:Den |De |Het |Sint |'s-)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)")
# A municipality's decision is signed by its college or mayor; the return address names the town.
_COUNCIL = re.compile(r"college van burgemeester en wethouders|de burgemeester van", re.IGNORECASE)
_RETURN_TOWN = re.compile(r"retouradres:?[^\n]*?\d{4}\s?[A-Z]{2}\s+([A-Z][a-z]+(?:[ \-][A-Z][a-z]+)?)", re.IGNORECASE)
_POSTBUS = re.compile(r"postbus\s+(\d{3,6})", re.IGNORECASE)
_RETURN = re.compile(r"retouradres:?\s+postbus\s+(\d{3,6})", re.IGNORECASE)  # the sender's own address
_SALUTATION = re.compile(r"^\s*(geachte|beste)\b", re.IGNORECASE | re.MULTILINE)
HEAD_CHARS = 1500  # a letterhead is at the top of the first page


def organisation(first_page: str) -> tuple[str, str]:
    """Return the organisation named in a first page's letterhead or cover, and where it was found."""
    # The letterhead ends where the letter starts: names after the salutation are what the letter is about.
    salutation = _SALUTATION.search(first_page[:HEAD_CHARS])
    head = re.sub(r"\s+", " ", first_page[:salutation.start() if salutation else HEAD_CHARS])
    page = re.sub(r"\s+", " ", first_page)
    found = []
    for name in NAMED:
        at = head.find(name)  # as written: "het ministerie van ..." in the body is no letterhead
        if at >= 0:
            found.append((at, -len(name), name))  # the longest name at a place: "... Economische Zaken en Klimaat"
    town = _GEMEENTE.search(head)
    if town:
        found.append((town.start(), 0, "Gemeente " + town.group(1)))
    if found:
        return min(found)[2], "briefhoofd"
    lower = page.lower()
    for domain, name in DOMAINS:
        if domain in lower:
            return name, "webadres"
    town = _RETURN_TOWN.search(first_page)
    if town and _COUNCIL.search(page):
        return f"Gemeente {town.group(1)}", "briefhoofd"
    for number in _RETURN.findall(page) + _POSTBUS.findall(page):
        if number in POSTBUS:
            return POSTBUS[number], "postbus"
    return "", ""
