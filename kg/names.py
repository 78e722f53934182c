"""How names are written: the rules that more than one stage shares.

- :func:`without_middle_initials`: a person's name without its middle initials, for in-article coreference
  (:mod:`kg.extract.coref`) and cross-article resolution (:mod:`kg.resolve`);
- :func:`name_key`: a name folded for matching, for reading gold facts (:mod:`kg.train`) and award lists
  (:mod:`kg.extract.award_lists`);
- :func:`fold`, :func:`name_keys`, :func:`name_words`, :func:`name_index`: the names the store's entity index finds
  an entity by (written by :mod:`kg.rdf` and :mod:`kg.store`, asked by :mod:`kg.resolve`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["without_middle_initials", "name_key", "fold", "name_keys", "name_words", "name_index"]

# Words too common in names to find an entity by (a title sharing only "the" with another is no candidate).
_STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "&", "in", "on", "at", "to", "for", "de", "la", "le", "el", "-"})


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


def fold(name: str) -> str:
    """A name folded for the entity index: case, curly quotes, surrounding quotes and runs of spaces do not count.

    >>> fold(" “Alita:  Battle Angel” ")
    'alita: battle angel'
    """
    return " ".join(name.replace("’", "'").split()).strip("\"'“”‘ ").casefold()


def name_keys(name: str) -> set[str]:
    """The keys a name is found by exactly: the name folded (case, quotes and runs of spaces do not count) and, for
    a title with a colon, each of its parts (the title-part rule).

    >>> sorted(name_keys(" “Alita:  Battle Angel” "))
    ['alita', 'alita: battle angel', 'battle angel']
    """
    folded = fold(name)
    return {folded, *(part.strip() for part in folded.split(":", 1) if part.strip())} if ":" in folded else {folded}


def name_index(entity_key: str, name: str) -> tuple[set[str], set[str]]:
    """What the store's name index holds for one name of an entity: its name keys, and its words for a person.

    >>> [sorted(terms) for terms in name_index("person/james-cameron", "James Cameron")]
    [['james cameron'], ['cameron', 'james']]
    """
    return name_keys(name), name_words(name) if entity_key.startswith("person/") else set()


def name_words(name: str) -> set[str]:
    """The words a person's name is found by in the store's name index: folded, without "the", "of" and the like
    unless the name has no other words. The person-name rules link names that share one of these.

    >>> sorted(name_words("The Lord of the Rings: The Two Towers")), sorted(name_words("It"))
    (['lord', 'rings', 'towers', 'two'], ['it'])
    """
    words = set(fold(name).replace(":", " ").split())
    return words - _STOP_WORDS or words
