"""How a person's name is written: the one rule that in-article coreference (:mod:`kg.extract.coref`) and
cross-article resolution (:mod:`kg.resolve`) share.

In: a folded name. Out: the same name without its middle initials.
"""

from __future__ import annotations

import re

__all__ = ["without_middle_initials"]


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
