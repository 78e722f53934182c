"""How names are written: the rules that more than one stage shares.

- :func:`without_middle_initials`: a person's name without its middle initials, for in-article coreference
  (:mod:`kg.extract.coref`) and cross-article resolution (:mod:`kg.resolve`);
- :func:`name_key`: a name folded for matching, for reading gold facts (:mod:`kg.train`) and award lists
  (:mod:`kg.extract.award_lists`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["without_middle_initials", "name_key"]


def name_key(text: str) -> str:
    """A name folded for matching: accents, case, punctuation and a leading "the" dropped, "&" read as "and".

    >>> name_key("The Sea Inside"), name_key("Renée & Co.")
    ('sea inside', 'renee and co')
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def without_middle_initials(name: str) -> str:
    """A person's name without middle initials: "jonathan r. hale" and "jonathan hale" name one person. A name
    that starts with an initial keeps them all ("j. k. rowling" is not "j. rowling").

    >>> without_middle_initials("jonathan r. hale"), without_middle_initials("j. k. rowling")
    ('jonathan hale', 'j. k. rowling')
    """
    words = name.split()
    if len(words) < 3:
        return name
    middle = [w for w in words[1:-1] if not re.fullmatch(r"[^\W\d_]\.?", w)]
    return " ".join([words[0], *middle, words[-1]]) if len(words[0].rstrip(".")) > 1 else name
