"""The relevance test corpus: a catalogue and PDFs written for the judged queries (compounds, plurals, accents,
abbreviations, English), generated with reportlab so nothing outside the repository is needed."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.pdfs import make_pdf

# Each document: catalogue fields plus the text of its PDF pages. The texts are written so that a person would
# judge them as the qrels in judgments.yaml say; wording avoids the exact query form where a feature is tested.
DOCUMENTS = [
    dict(id="gebiedsverbod-handreiking", title="Handreiking gebiedsverbod en samenscholingsverbod",
         summary="Hoe een burgemeester een gebiedsverbod oplegt en wanneer een samenscholingsverbod past.",
         date="2023-03-01", author="Vereniging van Nederlandse Gemeenten", doctype="Handboek",
         section="Praktische hulp",
         pages=["De burgemeester kan op grond van artikel 172a Gemeentewet een gebiedsverbod opleggen aan een "
                "persoon die herhaaldelijk de openbare orde verstoort. Het gebiedsverbod geldt voor een "
                "afgebakend gebied en een beperkte duur.",
                "Een samenscholingsverbod staat in de Algemene Plaatselijke Verordening van de meeste gemeenten. "
                "Het verbiedt groepen om zich op een bepaalde plek te verzamelen als dat tot wanordelijkheden "
                "leidt. Handhaving gebeurt door politie en boa's.",
                "Bij beide verboden weegt de burgemeester de evenredigheid. Betrokkenen worden vooraf gehoord "
                "waar dat kan, en het besluit wordt schriftelijk bekendgemaakt."]),
    dict(id="cameratoezicht-evaluatie", title="Evaluatie van cameratoezicht in uitgaansgebieden",
         summary="Een evaluatie van camera's in uitgaansgebieden: effect op geweld, privacy en de rol van de "
                 "gemeente.",
         date="2022-09-15", author="Universiteit Leiden", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties",
         pages=["Cameratoezicht wordt door veel gemeenten ingezet in uitgaansgebieden. Dit onderzoek meet het "
                "effect op geweld en overlast in vier steden.",
                "De verwerking van beelden moet voldoen aan de Algemene Verordening Gegevensbescherming. "
                "Beelden worden na achtentwintig dagen vernietigd, tenzij er een incident is vastgelegd.",
                "Aanbevelingen: maak het doel van de camera's vooraf duidelijk, evalueer jaarlijks en betrek "
                "de functionaris voor gegevensbescherming."]),
    dict(id="jongerenwerk-wijk", title="Jongerenwerkers en straatcoaches in de wijk",
         summary="Een praktijkbeschrijving van de samenwerking tussen jongerenwerkers, straatcoaches en de "
                 "wijkagent bij spanningen in de buurt.",
         date="2023-10-10", author="Movisie", doctype="Factsheet", section="Praktische hulp",
         pages=["Jongerenwerkers kennen de jongeren in de wijk en zien spanningen vroeg. Straatcoaches spreken "
                "groepen aan op straat, vooral in de avonduren.",
                "De wijkagent en het jongerenwerk delen signalen in een wekelijks overleg. Buurtbewoners "
                "melden overlast bij een vast aanspreekpunt van de gemeente.",
                "Online volgen jongerenwerkers openbare berichten op sociale media, binnen afspraken over "
                "privacy en zonder nepaccounts."]),
    dict(id="desinformatie-polarisatie", title="Desinformatiecampagnes en online polarisatie",
         summary="Hoe desinformatiecampagnes op sociale media bijdragen aan polarisaties in de lokale "
                 "samenleving, en wat gemeenten kunnen doen.",
         date="2024-02-20", author="Rathenau Instituut", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties",
         pages=["Desinformatiecampagnes gebruiken valse berichten om wantrouwen te zaaien. Polarisaties tussen "
                "groepen worden zo versterkt, vooral rond verkiezingen en incidenten.",
                "Gemeenten kunnen weerbaarheid vergroten met betrouwbare informatie en snelle communicatie. "
                "Factchecks alleen zijn niet genoeg.",
                "Platforms hebben onder Europese regels meer plichten om desinformatie te beperken."]),
    dict(id="woo-openbaarmaking", title="Openbaarmaking van documenten onder de Wet open overheid",
         summary="Wat de Wet open overheid vraagt van gemeenten bij verzoeken om informatie, en wat er verandert "
                 "ten opzichte van de Wet openbaarheid van bestuur, ook voor de ﬁnanciële verantwoording.",
         date="2022-05-01", author="Ministerie van BZK", doctype="Handboek", section="Praktische hulp",
         pages=["Sinds 1 mei 2022 geldt de Wet open overheid. Zij vervangt de Wet openbaarheid van bestuur en "
                "verplicht overheden om meer informatie uit eigen beweging openbaar te maken.",
                "Een verzoek om informatie moet binnen vier weken worden beantwoord. De termijn kan met twee "
                "weken worden verlengd.",
                "Persoonsgegevens en opsporingsbelangen kunnen een reden zijn om informatie niet te verstrekken."]),
    dict(id="riec-ondermijning", title="Samenwerking tegen ondermijning in het Regionaal Informatie- en "
                                       "Expertisecentrum",
         summary="Hoe gemeenten, politie, Belastingdienst en het Openbaar Ministerie samen ondermijnende "
                 "criminaliteit aanpakken.",
         date="2021-11-30", author="Landelijk Informatie- en Expertisecentrum", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties",
         pages=["Het Regionaal Informatie- en Expertisecentrum ondersteunt partners bij de bestuurlijke aanpak "
                "van ondermijning. Informatie wordt gedeeld op basis van een convenant.",
                "Het Openbaar Ministerie en de gemeente stemmen strafrechtelijke en bestuurlijke interventies "
                "op elkaar af, zoals het sluiten van panden.",
                "Casussen worden besproken in een casusoverleg met vaste deelnemers."]),
    dict(id="countering-extremism-en", title="Countering violent extremism: local policies in European cities",
         summary="A comparison of local policies against violent extremism and radicalisation in five European "
                 "cities, with lessons for municipalities.",
         date="2023-06-01", author="Radicalisation Awareness Network", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties", language="en",
         pages=["Municipalities play a key role in preventing radicalisation. Local policies combine youth work, "
                "schools and police in multi-agency teams.",
                "Extremists increasingly recruit online. Cities train frontline workers to recognise signals "
                "of radicalising young people.",
                "The study recommends clear information sharing agreements and evaluation of every policy."]),
    dict(id="disinformation-public-order-en", title="Online disinformation and public order disturbances",
         summary="How online disinformation fuels riots and public order disturbances, and how mayors and "
                 "police respond.",
         date="2024-01-15", author="European Forum for Urban Security", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties", language="en",
         pages=["Riots organised through messaging apps spread quickly. Disinformation about incidents is a "
                "frequent trigger of disturbances.",
                "Mayors use emergency powers to restore public order; police monitor open online sources.",
                "Communities recover faster when local authorities communicate early and honestly."]),
    dict(id="enquete-crisiscoordinatie", title="Enquête onder burgemeesters over crisiscoördinatie",
         summary="Resultaten van een enquête over de coördinatie van crisisbeheersing, met ervaringen uit "
                 "België en Nederland.",
         date="2023-01-20", author="Instituut Fysieke Veiligheid", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties",
         pages=["De enquête is ingevuld door 212 burgemeesters. Coördinatie tussen veiligheidsregio en "
                "gemeente wordt overwegend positief beoordeeld.",
                "In België ligt de coördinatie bij de provinciegouverneur. Ideeën uit beide landen worden "
                "vergeleken, met aandacht voor het café als plek waar onrust begint.",
                "Burgemeesters vragen om meer oefening en een privé-overleg met de hoofdofficier."]),
    dict(id="demonstratierecht-wom", title="Demonstratierecht en de Wet openbare manifestaties",
         summary="Wat gemeenten wel en niet mogen bij betogingen: kennisgeving, voorschriften, beperkingen en "
                 "verbod.",
         date="2022-03-15", author="Nationale ombudsman", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties",
         pages=["Het demonstratierecht is een grondrecht. De burgemeester mag een betoging alleen beperken ter "
                "bescherming van de gezondheid, het verkeer of ter voorkoming van wanordelijkheden.",
                "Demonstraties worden vooraf gemeld. De burgemeester kan voorschriften geven over plaats en "
                "tijd, maar niet over de inhoud van de boodschap.",
                "Bij ernstige ordeverstoringen kan een betoging worden beëindigd."]),
    dict(id="extremisten-lokale-aanpak", title="Lokale aanpak van extremisten en extremistische groepen",
         summary="Een handreiking voor gemeenten over extremistische groepen: signalen, persoonsgerichte aanpak "
                 "en samenwerking.",
         date="2024-03-05", author="Rijksoverheid", doctype="Handboek", section="Praktische hulp",
         pages=["Extremistische groepen proberen jongeren te werven. Signalen komen vaak binnen bij scholen en "
                "wijkteams.",
                "Bij individuele extremisten werkt de gemeente met een persoonsgerichte aanpak in het "
                "veiligheidshuis.",
                "Contacten met extremistische netwerken worden in kaart gebracht met de politie."]),
    dict(id="gemeentes-onrust", title="Hoe gemeentes omgaan met maatschappelijke onrust",
         summary="Interviews met medewerkers van twaalf gemeentes over onrust in wijken en dorpen.",
         date="2023-05-30", author="Platform31", doctype="Rapport", section="Onderzoeksrapporten en publicaties",
         pages=["In twaalf gemeentes spraken we met ambtenaren openbare orde en veiligheid. Zij zien onrust "
                "vaak eerst online.",
                "Kleine gemeentes hebben minder capaciteit en werken samen in de regio.",
                "De meeste gemeentes hebben een draaiboek voor maatschappelijke onrust."]),
    dict(id="dreigingsanalyse-bestuurders", title="Dreigingsanalyses voor lokale bestuurders",
         summary="Hoe de politie dreigingen tegen burgemeesters en wethouders analyseert en welke maatregelen "
                 "volgen.",
         date="2024-08-01", author="Politie", doctype="Factsheet", section="Praktische hulp",
         pages=["Bedreigingen van bestuurders nemen toe. Een dreigingsanalyse beoordeelt de ernst en de kans.",
                "Maatregelen variëren van extra surveillance tot beveiliging thuis.",
                "Na een incident volgt altijd nazorg door de gemeente."]),
    dict(id="noodverordening-rellen", title="Noodbevel en noodverordening bij rellen",
         summary="Wanneer de burgemeester bij rellen een noodbevel of noodverordening gebruikt, en hoe het OM "
                 "daarna vervolgt.",
         date="2021-02-01", author="Openbaar Ministerie", doctype="Rapport",
         section="Onderzoeksrapporten en publicaties",
         pages=["Tijdens de avondklokrellen gebruikten burgemeesters noodverordeningen om ordeverstoringen "
                "te beëindigen.",
                "Het noodbevel is een mondeling bevel voor directe situaties, de noodverordening geldt "
                "algemeen.",
                "Het OM vervolgde relschoppers snel met supersnelrecht."]),
]


def write_relevance_corpus(root: Path) -> Path:
    """Write the relevance corpus (catalogue.yaml and pdf/) under root and return root."""
    pdf_dir = root / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    records = []
    for doc in DOCUMENTS:
        record = {k: v for k, v in doc.items() if k != "pages"}
        record["pdf"] = f"{doc['id']}.pdf"
        record["pages"] = len(doc["pages"])
        records.append(record)
        make_pdf(pdf_dir / record["pdf"], doc["pages"], title=doc["title"])
    catalogue = {"theme": {"title": "Relevantietest", "intro": "Documenten voor de relevantiemeting."},
                 "documents": records}
    (root / "catalogue.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    # The maintainers' abbreviation table of the bundled corpus: the abbreviation queries are judged with it.
    shutil.copy(Path(__file__).resolve().parents[2] / "corpus" / "afkortingen.yaml", root / "afkortingen.yaml")
    return root
