"""Folding and comparing place names as news write them.

Pure functions: no data, no I/O. Everything the matcher compares goes through :func:`fold`, so
"Galați", "Galaţi", "GALATI" and "Galati" become the same key, and "Wyryki-Wola" equals
"Wyryki Wola".
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "fold",
    "loose_key",
    "name_variants",
    "strip_admin_words",
    "admin_names_match",
    "split_query",
    "is_code_like",
    "QUALIFIERS",
    "qualified_keys",
    "SUGGESTION_CUTOFF",
    "could_be_close",
]

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ẞ": "ss",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŀ": "l",
        "Ŀ": "l",
        "ŧ": "t",
        "Ŧ": "t",
        "ŋ": "ng",
        "Ŋ": "ng",
        "ĸ": "k",
    }
)
# Apostrophes and soft signs of transliteration vanish: "Odes'ka" -> "odeska".
_DROP = re.compile(r"[\u00b7\u0027\u2018\u2019\u02bc\u02b9\u0060\u00b4\u2032\u02bb]")
# Hyphens, dashes, dots, commas, slashes and underscores separate words.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._,;/()\[\]\"]+")


def fold(name: str) -> str:
    """Return the matching key of a name: lower case, no diacritics, single spaces.

    Romanian ș/ş and ț/ţ (comma and cedilla forms) fold alike, Polish ł becomes l, and
    ø, æ, ß and friends are spelt out. Hyphens and spaces are the same.

    >>> fold("Galaţi") == fold("Galați") == fold("GALATI")
    True
    >>> fold("Hrubieszów"), fold("Łódź"), fold("Wyryki-Wola")
    ('hrubieszow', 'lodz', 'wyryki wola')
    >>> fold("Odes'ka  oblast"), fold("Straße")
    ('odeska oblast', 'strasse')
    """
    text = str(name)
    if text.isascii():
        return _SEPARATORS.sub(" ", _DROP.sub("", text.lower())).strip()
    text = unicodedata.normalize("NFKC", text).translate(_SPECIAL_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DROP.sub("", text.casefold())
    return _SEPARATORS.sub(" ", text).strip()


_LOOSE_LETTERS = str.maketrans({"y": "i", "j": "i", "w": "v", " ": None})
_DOUBLED = re.compile(r"(.)\1+")


def loose_key(name: str) -> str:
    """A coarser key that forgives common transliteration differences.

    y/j/i, kh/h, w/v, x/ks, doubled letters and spaces are merged, so "Izmayil" and "Izmail",
    "Odessa" and "Odesa", "Kharkiv" and "Harkiv" share a key. Used only when the exact
    key finds nothing, and with lower confidence.

    >>> loose_key("Izmayil") == loose_key("Izmail")
    True
    >>> loose_key("Odessa") == loose_key("Odesa")
    True
    >>> loose_key("Alexandrovka") == loose_key("Aleksandrovka")
    True
    """
    return loose_key_of_folded(fold(name))


def loose_key_of_folded(key: str) -> str:
    """:func:`loose_key` of a name already folded by :func:`fold`."""
    key = key.replace("kh", "h").replace("x", "ks")
    return _DOUBLED.sub(r"\1", key.translate(_LOOSE_LETTERS))


_CODE_LIKE = re.compile(r"^(?:[A-Z]{2,5}|[A-Z0-9-]*\d[A-Z0-9 -]*)$")


def is_code_like(alternate: str) -> bool:
    """Whether a name is a code (IATA "HEL", ICAO "EPWA", UN/LOCODE "MDGIU", postal "68800"):
    never matched as a gazetteer alternate, and a query of that form is answered with low
    confidence at most.

    >>> is_code_like("HEL"), is_code_like("EPWA"), is_code_like("68800"), is_code_like("Hel")
    (True, True, True, False)
    """
    return bool(_CODE_LIKE.match(alternate.strip()))


def name_variants(name: str) -> list[str]:
    """Folded spellings worth trying after the exact one failed, best first.

    The Romanian definite article (-l, -ul) is removed or added, so "Nufărul" finds
    "Nufăru" and "Plauru" finds "Plaurul".

    >>> name_variants("Nufărul")
    ['nufaru', 'nufar']
    >>> name_variants("Nufăru"), name_variants("Plaur")
    (['nufarul'], ['plaurul'])
    """
    key = fold(name)
    out: list[str] = []
    if not key:
        return out
    if key.endswith("ul"):
        out += [key[:-1], key[:-2]]
    elif key.endswith("l"):
        out.append(key[:-1])
    elif key.endswith("u"):
        out.append(key + "l")
    elif key[-1].isalpha() and key[-1] not in "aeiouy":
        out.append(key + "ul")
    seen = {key}
    variants = []
    for variant in out:
        if len(variant) >= 3 and variant not in seen:
            seen.add(variant)
            variants.append(variant)
    return variants


# Qualifiers that tell namesake settlements apart (old/new, great/little, upper/lower, colony),
# folded, in the region's languages: Romanian (after the name), Polish, Ukrainian, Russian,
# Belarusian and Lithuanian (before or after it).
QUALIFIERS = tuple(
    """
    veche vechi noua nou noi mare mari mic mica mici
    nowy nowa nowe stary stara stare wielki wielka wielkie maly mala male duzy duza duze
    gorny gorna gorne dolny dolna dolne kolonia
    velykyi velykyy velyka velyke malyi malyy novyi novyy nova nove staryi staryy
    verkhnii verkhnia nyzhnii nyzhnia
    bolshoy bolshaya bolshoye bolshoe malaya maloye maloe novy novaya novoye novoe
    staraya staroye staroe verkhniy verkhnyaya nizhniy nizhnyaya
    vialiki vialikaja malaja novaja staraja didieji didysis mazieji naujieji senieji
    """.split()
) + ("de sus", "de jos", "de mijloc")


def qualified_keys(key: str) -> list[str]:
    """Folded names that are ``key`` (already folded) with a qualifier after or before it.

    A news report's "Chilia" may be Chilia Veche, "Sącz" Nowy Sącz: these names are
    candidates of lower confidence (how "qualified").

    >>> "chilia veche" in qualified_keys("chilia"), "nowy sacz" in qualified_keys("sacz")
    (True, True)
    """
    if not key:
        return []
    return [f"{key} {q}" for q in QUALIFIERS] + [f"{q} {key}" for q in QUALIFIERS]


# Generic words of administrative areas, folded, in the languages of the region and English.
_ADMIN_WORDS = frozenset(
    """
    county counties region province district municipality commune community city town
    village state area of the oblast oblasti oblast' raion rayon raionul rajon rayonu
    voivodeship voivodship voivodate wojewodztwo wojewodztwa powiat powiatu gmina gminy
    judet judetul judete comuna comunei municipiul orasul oras sat satul
    obl obl. r-n r n hromada miskrada misto mista selyshche
    apskritis novads maakond vald kunta seutukunta kraj okres megye medie
    """.split()
)


@functools.lru_cache(maxsize=65536)  # pure; admin names repeat across candidates
def strip_admin_words(text: str) -> str:
    """Fold an admin-area name and drop generic words such as county, oblast or județ.

    >>> strip_admin_words("Odes'ka oblast"), strip_admin_words("Județul Tulcea")
    ('odeska', 'tulcea')
    >>> strip_admin_words("Włodawa County"), strip_admin_words("Lublin Voivodeship")
    ('wlodawa', 'lublin')
    """
    words = [w for w in fold(text).split() if w not in _ADMIN_WORDS]
    return " ".join(words)


def _common_prefix_length(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def admin_names_match(context: str, name: str) -> bool:
    """Whether an admin context ("Odesa region") names the admin area ``name`` ("Odessa").

    Both are stripped of generic words; they match when equal, or when they share a stem
    (a common prefix of at least 4 letters that leaves at most 3 letters of either, also
    after removing an adjectival ending such as -ski or -skyi), which covers Ukrainian
    adjectival forms ("Odes'ka" ~ "Odessa") and Polish ones ("łęczyński" ~ "Łęczna").

    >>> admin_names_match("Odesa region", "Odessa")
    True
    >>> admin_names_match("Odes'ka oblast", "Odessa")
    True
    >>> admin_names_match("Tulcea county", "Tulcea"), admin_names_match("Tulcea", "Galați")
    (True, False)
    >>> admin_names_match("powiat łęczyński", "Łęczna")
    True
    """
    a, b = strip_admin_words(context), strip_admin_words(name)
    if not a or not b:
        return False
    if a == b:
        return True
    forms_a = {a.replace(" ", ""), _ADJECTIVAL.sub("", a.replace(" ", ""))}
    forms_b = {b.replace(" ", ""), _ADJECTIVAL.sub("", b.replace(" ", ""))}
    for ka in forms_a:
        for kb in forms_b:
            if ka == kb and len(ka) >= 3:
                return True
            prefix = _common_prefix_length(ka, kb)
            if prefix >= 4 and len(ka) - prefix <= 3 and len(kb) - prefix <= 3:
                return True
    return False


# Adjectival endings of district names: powiat łęczyński (Łęczna), Izmailskyi raion (Izmail).
_ADJECTIVAL = re.compile(r"(ski|ska|skie|skyi|skyy|skiy|skij|skii|sky|ske)$")


def split_query(text: str) -> tuple[str, list[str]]:
    """Split "Plauru, Tulcea, Romania" into the name and its context parts.

    >>> split_query("Plauru, Tulcea, Romania")
    ('Plauru', ['Tulcea', 'Romania'])
    >>> split_query("  Izmail ")
    ('Izmail', [])
    """
    parts = [part.strip() for part in str(text).split(",")]
    parts = [part for part in parts if part]
    if not parts:
        return "", []
    return parts[0], parts[1:]


# Spelling suggestions are names whose difflib ratio to the query is at least this.
SUGGESTION_CUTOFF = 0.75


def could_be_close(key: str, keys: list[str], cutoff: float = SUGGESTION_CUTOFF) -> list[int]:
    """Indices of ``keys`` whose :class:`difflib.SequenceMatcher` ratio to ``key`` may reach
    ``cutoff``: a vectorised form of difflib's ``quick_ratio`` bound (twice the shared
    letters, counted as UTF-8 bytes, which only over-counts, over the summed lengths), so
    ``difflib.get_close_matches`` on the survivors gives what it gives on all of ``keys``,
    in a fraction of the time (thousands of names share a first letter).

    >>> could_be_close("hrubiezsow", ["hrubieszow", "hel", "hrubieszowek", "zzzzzzzzzz"])
    [0, 2]
    """
    import numpy as np  # only when suggestions are needed

    if not keys or not key:
        return []
    encoded = [k.encode("utf-8") for k in keys]
    byte_lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    char_lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    # 32 bins (byte mod 32: a-z apart, digits and bytes of other letters share bins, which
    # again only over-counts)
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64) & 31
    rows = np.repeat(np.arange(len(keys), dtype=np.int64), byte_lengths)
    counts = np.bincount(rows * 32 + data, minlength=len(keys) * 32).reshape(len(keys), 32)
    wanted = np.bincount(np.frombuffer(key.encode("utf-8"), dtype=np.uint8) & 31, minlength=32)
    shared = np.minimum(counts, wanted).sum(axis=1)
    bound = 2.0 * shared / (char_lengths + len(key))
    return np.flatnonzero(bound >= cutoff).tolist()
