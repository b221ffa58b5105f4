"""Cyrillic to Latin transliteration of place names, for matching (not for display).

Ukrainian names follow the national system of 2010 (Рені → Reni, Ізмаїл → Izmail,
Одеса → Odesa); Russian and Belarusian names a BGN-like system (Москва → Moskva). The two
differ (г is h in Ukrainian, g in Russian), so :func:`latin_keys` gives both spellings; the
matcher folds them with :func:`~geo.geocoding.names.fold` like any other name.
"""

from __future__ import annotations

__all__ = ["latin_keys", "has_cyrillic"]

_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ъ": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_UKRAINIAN = {
    **_COMMON,
    "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "i", "й": "i", "є": "ie", "ю": "iu",
    "я": "ia", "ў": "u", "ы": "y", "э": "e", "ё": "io",
}  # fmt: skip
_UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RUSSIAN = {
    **_COMMON,
    "г": "g", "и": "i", "й": "y", "ы": "y", "э": "e", "ё": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` has a Cyrillic letter.

    >>> has_cyrillic("Рені"), has_cyrillic("Reni")
    (True, False)
    """
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _transliterate(text: str, table: dict[str, str], initial: dict[str, str]) -> str:
    out = []
    previous_letter = False
    for ch in text.lower():
        latin = initial.get(ch) if not previous_letter else None
        if latin is None:
            latin = table.get(ch, ch)
        out.append(latin)
        previous_letter = ch.isalpha()
    return "".join(out)


def latin_keys(text: str) -> list[str]:
    """Latin spellings of a Cyrillic name (Ukrainian system first); [] for Latin text.

    >>> latin_keys("Рені"), latin_keys("Ізмаїл")
    (['reni'], ['izmail', 'izmayil'])
    >>> latin_keys("Москва"), latin_keys("Одеса")
    (['moskva'], ['odesa'])
    >>> latin_keys("Reni")
    []
    """
    if not has_cyrillic(text):
        return []
    keys = [
        _transliterate(text, _UKRAINIAN, _UKRAINIAN_INITIAL),
        _transliterate(text, _RUSSIAN, {}),
    ]
    return list(dict.fromkeys(keys))
