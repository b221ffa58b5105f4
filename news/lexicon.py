"""Small word tables the extractor needs: countries and demonyms, waters, titles, organisations,
and the words that look like places but are not.

Everything here is folded with :func:`geo.geocoding.names.fold` before use.
"""

from __future__ import annotations

import functools

from incidentmap.geo.geocoding.countries import _countries
from incidentmap.geo.geocoding.names import fold

__all__ = [
    "ACRONYMS",
    "NEWS_AGENCIES",
    "CONTINENTS",
    "COUNTRY_ALIASES",
    "DEMONYMS",
    "ORG_HEADS",
    "PERSON_PLACE_NAMES",
    "REGION_WORDS",
    "STOP_WORDS",
    "TITLES",
    "WATERS",
    "WATER_WORDS",
    "country_names",
]

#: Short or older forms of country names that news use, beyond the GeoNames English names.
COUNTRY_ALIASES: dict[str, str] = {
    "Russian Federation": "RUS",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "United Kingdom": "GBR",
    "UK": "GBR",
    "U.K.": "GBR",
    "United States": "USA",
    "United States of America": "USA",
    "US": "USA",
    "U.S.": "USA",
    "USA": "USA",
    "America": "USA",
    "Moldova": "MDA",
    "Republic of Moldova": "MDA",
    "Czechia": "CZE",
    "Czech Republic": "CZE",
    "Turkiye": "TUR",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "Holland": "NLD",
    "the Netherlands": "NLD",
    "Netherlands": "NLD",
    "North Korea": "PRK",
    "South Korea": "KOR",
    "Iran": "IRN",
    "Syria": "SYR",
    "Belarus": "BLR",
    "Vatican": "VAT",
}

#: Demonyms and nationality adjectives (and plurals) → ISO3.
DEMONYMS: dict[str, str] = {}
for _iso3, _words in {
    "RUS": "Russian Russians",
    "UKR": "Ukrainian Ukrainians",
    "ROU": "Romanian Romanians",
    "POL": "Polish Poles",
    "MDA": "Moldovan Moldovans",
    "BLR": "Belarusian Belarusians Belarussian",
    "LTU": "Lithuanian Lithuanians",
    "LVA": "Latvian Latvians",
    "EST": "Estonian Estonians",
    "FIN": "Finnish Finns",
    "SWE": "Swedish Swedes",
    "NOR": "Norwegian Norwegians",
    "DNK": "Danish Danes",
    "DEU": "German Germans",
    "FRA": "French",
    "GBR": "British Briton Britons",
    "USA": "American Americans",
    "CAN": "Canadian Canadians",
    "IRN": "Iranian Iranians",
    "TUR": "Turkish Turks",
    "BGR": "Bulgarian Bulgarians",
    "HUN": "Hungarian Hungarians",
    "SVK": "Slovak Slovakian Slovaks",
    "CZE": "Czech Czechs",
    "NLD": "Dutch",
    "BEL": "Belgian Belgians",
    "ITA": "Italian Italians",
    "ESP": "Spanish Spaniards",
    "PRT": "Portuguese",
    "GRC": "Greek Greeks",
    "CHN": "Chinese",
    "PRK": "North Korean|North Koreans",
    "KAZ": "Kazakh Kazakhstani",
    "ISR": "Israeli Israelis",
    "SRB": "Serbian Serbs",
    "HRV": "Croatian Croats",
    "SVN": "Slovenian Slovenes",
    "AUT": "Austrian Austrians",
    "CHE": "Swiss",
    "IRL": "Irish",
    "ISL": "Icelandic",
    "JPN": "Japanese",
    "IND": "Indian Indians",
    "SYR": "Syrian Syrians",
    "GEO": "Georgian Georgians",
    "ARM": "Armenian Armenians",
    "AZE": "Azerbaijani Azerbaijanis",
    "ALB": "Albanian Albanians",
    "MKD": "Macedonian",
    "MNE": "Montenegrin",
}.items():
    for _word in _words.replace(" ", "|" if "|" not in _words else " ").split("|"):
        DEMONYMS[_word] = _iso3

#: Seas, rivers and straits news about the eastern flank name, with their feature type.
WATERS: dict[str, tuple[str, str]] = {}
for _name, _feature, _alts in (
    ("Danube", "river", "Danube River|River Danube|Dunărea|Dunarea|Dunav|Dunai"),
    ("Black Sea", "sea", ""),
    ("Baltic Sea", "sea", ""),
    ("Sea of Azov", "sea", "Azov Sea"),
    ("North Sea", "sea", ""),
    ("Mediterranean Sea", "sea", "Mediterranean"),
    ("Gulf of Finland", "sea", ""),
    ("Kerch Strait", "sea", ""),
    ("Bosphorus", "sea", "Bosporus"),
    ("Dniester", "river", "Dniester River|Nistru|Dnister"),
    ("Dnipro", "river", "Dnieper|Dnipro River|Dnieper River"),
    ("Prut", "river", "Prut River|Pruth"),
    ("Bug", "river", "Bug River|Western Bug"),
    ("Vistula", "river", "Wisła|Vistula River"),
    ("Narva", "river", "Narva River"),
    ("Chilia branch", "river", "Chilia Branch|Kiliia branch|Kiliya branch"),
    ("Sulina branch", "river", "Sulina Channel|Sulina canal"),
    ("Danube Delta", "river", "Danube delta"),
):
    WATERS[_name] = (_name, _feature)
    for _alt in filter(None, _alts.split("|")):
        WATERS[_alt] = (_name, _feature)

#: Words that, after a capitalised name, make it a water feature ("the Chilia branch", "the
#: Bystroe canal", "Oder river"), with the feature type: such a name is never a town.
WATER_WORDS: dict[str, str] = {
    "river": "river",
    "branch": "river",
    "arm": "river",
    "delta": "river",
    "stream": "river",
    "creek": "river",
    "estuary": "river",
    "canal": "canal",
    "channel": "canal",
    "lake": "lake",
    "lagoon": "lake",
    "reservoir": "lake",
    "sea": "sea",
    "bay": "sea",
    "gulf": "sea",
    "strait": "sea",
}

#: Continents and groupings: not places in the sense of the extractor (never reported).
CONTINENTS = frozenset(
    fold(w)
    for w in (
        "Europe",
        "Asia",
        "Africa",
        "America",
        "Americas",
        "North America",
        "South America",
        "Latin America",
        "Oceania",
        "Antarctica",
        "Eurasia",
        "Scandinavia",
        "Balkans",
        "Baltic",
        "Baltic states",
        "Nordic",
        "Baltics",
        "Middle East",
        "Caucasus",
        "Eastern Europe",
        "Western Europe",
        "Central Europe",
    )
)

#: Words of admin areas that follow (or precede, with "of") a region name.
REGION_WORDS = frozenset(
    "region oblast county voivodeship voivodship province district raion rayon powiat "
    "judet judetul municipality governorate krai".split()
)

#: Titles and roles that precede a person's name.
TITLES = frozenset(
    fold(w)
    for w in """President Premier Minister Chancellor General Gen Colonel Col Lieutenant Major
    Captain Admiral Commander Secretary Spokesman Spokeswoman Spokesperson Ambassador Governor
    Mayor Senator Sen Lawmaker MP Deputy Chairman Chairwoman Chair Chief Director Sir Dame Mr Mrs
    Ms Dr Prof Professor King Queen Prince Princess Pope Patriarch Marshal Sergeant Officer
    Envoy Consul Prosecutor Judge Speaker Leader Analyst Commissioner Representative
    Pres Defence Defense Foreign Interior Prime""".split()
)
#: Titles that can only be titles (a capitalised run after them is a name).
STRONG_TITLES = frozenset(
    fold(w)
    for w in """President Chancellor General Colonel Lieutenant Captain Admiral Commander Sir
    Dame Mr Mrs Ms Dr Prof Professor Pope Patriarch Marshal Sergeant Spokesman Spokeswoman
    Spokesperson Ambassador Governor Mayor Senator Lawmaker Minister Secretary Premier
    Envoy Consul""".split()
)

#: Head words of organisation names ("North Atlantic Council", "Joint Forces Command").
ORG_HEADS = frozenset(
    fold(w)
    for w in """Council Ministry Ministries Command Commission Union Office Service Services
    Forces Force Treaty Alliance News Pravda Times Post Images Press Agency Bank Embassy
    Parliament Government Army Navy Guard Guards University Institute Foundation Group Company
    Corporation Inc Ltd Party Committee Assembly Court Senate Congress Department Directorate
    Staff Journal Herald Telegraph Review Radio Television TV Channel Network Media Club
    Federation Organisation Organization Agency Authority Brigade Battalion Regiment Division
    Corps Fleet Sentry Council Cabinet Administration Kremlin Pentagon Bureau Police
    Airlines Airways Railways Express Independent Guardian Reuters Interfax Facebook Telegram
    Getty Instagram Twitter""".split()
)

#: Given names and surnames that are also names of places somewhere (Dan in Israel, Victoria in
#: Canada ...): dropped unless a locative word ("in", "near", "village of") stands right before.
PERSON_PLACE_NAMES = frozenset(
    fold(w)
    for w in """Dan Maxim Victoria Florence Austin Lincoln Jordan Chad Eugene Orlando Douglas
    Sydney Regina Troy Marion Alexandria Charlotte Tyler Kent
    Clinton Jackson Madison Chester Salem Camden Warren Milton Carson Stanley Vernon
    Florian Adrian Marian Viktor Victor Oleg Nikolaev Pavlov Ivanovo Mark Mateus Mario Elena
    Maria Ana Anna Olga Irina Natalia Sofia Bogdan Stefan Pavel Ion Vasile Andrei Nicolae
    Ruth Julia Laura Lucia Carmen Rosa Eva Alexander Alexandra Marina Helena Diana Clara
    Cristina Daniel Gabriel Michael Martin Simon Thomas Peter Paul Jan Donald""".split()
)

#: Acronyms that are never places here (all-caps tokens are otherwise read as names).
ACRONYMS = frozenset(
    fold(w)
    for w in """NATO EU UN UAV UAVs RAF ET EST GMT UTC CNN BBC AFP AP TV USSR OSCE IAEA FSB
    GRU SBU MOD MoD PM MP MPs FM ID UK US USA IS ISIS ATACMS HIMARS HQ CEO KGB NGO PAP IAR ISW
    RFE RL SRI MApN MAI KaPo SKW GROM RMF LETA LSM ERR LRT TVN SOF MiG NBS""".split()
)

#: News agencies and outlets: their initials are never places, and "PAP reported" is a source,
#: not a claim by a party to the incident.
NEWS_AGENCIES = frozenset(
    fold(w)
    for w in """PAP AFP AP Reuters dpa DPA ANSA EFE Xinhua TASS RIA Interfax Ukrinform UNN LETA
    BNS ERR LRT LSM Yle Ritzau NTB TT Agerpres Digi24 RMF Polsat TVN Onet Bild Spiegel
    ISW RFE/RL RFE RL""".split()
)

#: Common English words that gazetteers also know as place names (Post, Council, Share ...),
#: and the news words around them; a single-word match that is one of these is dropped unless a
#: locative cue stands before it. Complemented at run time by words the article itself writes
#: in lower case.
STOP_WORDS = frozenset(
    fold(w)
    for w in """a about above across after again against ago all allies alliance along also
    although always am among an and another any anything are around as at away back bad base
    be became because become been before began behind being below best better between beyond
    big both bridge brief but by call called came can case center centre change chief city
    clear close come comment comments commission condemned content continue continues council
    country could court cross day days dead deal deep defence defense did do does done down
    during each early east eastern either else email end enough even ever every fair far fast
    few field fight final fine fire first five flank follow for force forces former forward
    four free friday from front full general get given global go good great green ground
    had half hall hand hard has have he head heart help her here high him his hold home hope
    hour house how however if images important in independent info information into invalid is
    it its join just keep key kind king know land large last late later lead learn least left
    less let life light like line little live long look lost low made main make man many mark
    may me mean means mid middle might mile miles mind minister mission monday more most much
    must my name national near need never new news next nice night nine no none north
    northern not note nothing now of off office old on once one only open or order other our
    out over own page park part party past peace people place plan point police port post
    power president press prime public put rain read real red rest right river road rock
    round run safe said same saturday say says sea second see send service set seven share
    she short should side sign since site six small so some south southern spring square
    staff start state states station stay still stop story strong subscribe such summer
    sunday support sure take tell ten than that the their them then there these they thing
    think third this those three through thursday time to today told top town treaty true
    tuesday two under union unit up update upon us use used valley very view village wall
    want war was watch water way we wednesday week well were west western what when where
    which while white who whole why will winter with within without wood work world would
    english latin arabic hebrew
    year years yes yet you young your""".split()
)


@functools.cache
def country_names() -> dict[str, str]:
    """Folded country name (GeoNames English names plus :data:`COUNTRY_ALIASES`) → ISO3."""
    names = {fold(record["name"]): record["iso3"] for record in _countries().values()}
    for name, iso3 in COUNTRY_ALIASES.items():
        names[fold(name)] = iso3
    names.pop("us", None)  # the pronoun; "US"/"U.S." are recognised by case in the matcher
    names.pop("uk", None)
    return names
