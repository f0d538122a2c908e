"""Serbian written in either of its scripts.

Serbian is written in Cyrillic and in Latin letters (gajica), one letter of each for one of
the other: a name stored in Cyrillic reads in Latin for a reader who chose Serbian in
Latin script, and the Latin catalog and labels are derived from the Cyrillic ones.
"""

from __future__ import annotations

import re

# Serbian Cyrillic to Latin (gajica): one letter each way, the standard of both scripts.
# Three Cyrillic letters become two Latin ones (љ lj, њ nj, џ dž).
_LATIN_LETTERS = (
    "a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n",
    "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š",
)  # fmt: skip
_SERBIAN_LATIN = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџш", _LATIN_LETTERS, strict=True))
_SERBIAN_LETTERS = re.compile("[" + "".join(_SERBIAN_LATIN) + "".join(_SERBIAN_LATIN).upper() + "]")


def serbian_latin(text: str) -> str:
    """Return Serbian Cyrillic ``text`` in Serbian Latin script (``"Центар за социјални
    рад Ниш"`` -> ``"Centar za socijalni rad Niš"``); other characters are kept.

    A capital that becomes two letters is ``Lj`` at the start of a word in lower case
    (``Љубљана`` -> ``Ljubljana``) and ``LJ`` in a word written in capitals (``ЉУБА`` ->
    ``LJUBA``).
    """

    def latin(match: re.Match[str]) -> str:
        letter = match.group(0)
        lower = _SERBIAN_LATIN[letter.lower()]
        if letter.islower():
            return lower
        if len(lower) == 1:
            return lower.upper()
        position = match.start()
        neighbours = text[position + 1 : position + 2] or text[max(position - 1, 0) : position]
        capitals = neighbours.isalpha() and neighbours.isupper()
        return lower.upper() if capitals else lower[0].upper() + lower[1:]

    return _SERBIAN_LETTERS.sub(latin, text)
