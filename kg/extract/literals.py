"""Typed values from entity text: money with its currency, dates with their precision.

>>> parse_money("an estimated $170 million")
Value(lexical='170000000', datatype='decimal', unit='USD', qualifier='estimated', text='an estimated $170 million')
>>> parse_date("March 28, 2023").datatype, parse_date("2019").lexical
('date', '2019')
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..model import Value

__all__ = ["parse_money", "parse_date", "parse_number", "parse_quantity", "work_year"]

_CURRENCY_SYMBOLS = {
    "us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "c$": "CAD", "a$": "AUD",
    "hk$": "HKD", "₩": "KRW",
}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "yen": "JPY", "jpy": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "cny": "CNY", "rupees": "INR", "rupee": "INR", "inr": "INR", "won": "KRW", "sterling": "GBP",
}
_CURRENCY_CODES = {
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "inr": "INR", "rs": "INR", "rs.": "INR", "jpy": "JPY", "cny": "CNY",
    "cad": "CAD", "aud": "AUD",
}
_SCALES = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "mln": 10**6,
    "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12,
    "lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7,  # Indian English
}
_QUALIFIERS = {
    "over": "over", "more than": "over", "above": "over", "nearly": "under", "almost": "under", "under": "under",
    "less than": "under", "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "an estimated": "estimated", "estimated": "estimated", "a reported": "reported",
    "a record": None, "just over": "over", "just under": "under", "up to": "under",
}
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_CURRENCY_SYMBOLS, key=len, reverse=True))
_CODE_RE = r"\b(?:usd|eur|gbp|inr|rs\.?|jpy|cny|cad|aud)(?![a-z])"
_MONEY_RE = re.compile(
    rf"(?P<sym>{_SYMBOL_RE}|{_CODE_RE})?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
    rf"(?P<scale>thousand|million|billion|trillion|crores?|lakhs?|mln|mn|bn|tn|[kmb])?\b\s*(?P<word>[a-z]+)?",
    re.IGNORECASE,
)


def _plain(number: Decimal) -> str:
    """XSD decimal lexical form without exponent or trailing zeros: 404000000, 2.5."""
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _qualifier(prefix: str) -> str | None:
    prefix = prefix.lower().strip()
    for words, qualifier in sorted(_QUALIFIERS.items(), key=lambda kv: -len(kv[0])):
        if prefix.endswith(words):
            return qualifier
    return None


def parse_number(text: str) -> Decimal | None:
    """A number written with digits, separators and an optional scale word: "1.5 million" -> 1500000."""
    match = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|trillion)?", text, re.IGNORECASE)
    if not match:
        return None
    try:
        number = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    return number * _SCALES[match.group(2).lower()] if match.group(2) else number


def parse_quantity(text: str) -> Value | None:
    """A plain number as an xsd:decimal value: "2.5 million" -> 2500000."""
    number = parse_number(text)
    return None if number is None else Value(_plain(number), "decimal", text=text)


def parse_money(text: str) -> Value | None:
    """Read an amount of money; None when the text has no number or no currency."""
    match = _MONEY_RE.search(text)
    if not match:
        return None
    symbol = (match.group("sym") or "").lower()
    currency = _CURRENCY_SYMBOLS.get(symbol) or _CURRENCY_CODES.get(symbol)
    word = (match.group("word") or "").lower()
    currency = currency or _CURRENCY_WORDS.get(word)
    if currency is None:
        return None
    try:
        amount = Decimal(match.group("num").replace(",", ""))
    except InvalidOperation:
        return None
    scale = (match.group("scale") or "").lower()
    if scale:
        amount *= _SCALES[scale]
    return Value(_plain(amount), "decimal", unit=currency, qualifier=_qualifier(text[: match.start()]), text=text)


_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_FORMS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("mname", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I), ("d", "mname", "y")),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(?:of\s+)?(\d{{4}})\b", re.I), ("mname", "y")),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d)", re.I), ("mname", "d")),
    (re.compile(r"^(?:in\s+|the\s+year\s+)?((?:1[89]|20|21)\d{2})(?:'s)?$", re.I), ("y",)),
)


# A part of a year names the year ("in spring 2020", "late 2019", "the summer of 2021"): an xsd:gYear.
_PART_OF_YEAR = re.compile(
    r"^(?:in\s+|by\s+|during\s+)?(?:the\s+)?(?:early|late|mid|middle|end|start|beginning|spring|summer|autumn|fall|"
    r"winter|first\s+half|second\s+half|(?:first|second|third|fourth)\s+quarter)[\s-]*(?:of\s+)?((?:1[89]|20|21)\d{2})$",
    re.I)
_RELATIVE_YEAR = re.compile(r"^(?:in\s+|during\s+)?(last|this|next|the\s+previous|the\s+following)\s+year$", re.I)
_YEAR_OFFSETS = {"last": -1, "the previous": -1, "this": 0, "next": 1, "the following": 1}


def parse_date(text: str, default_year: int | None = None) -> Value | None:
    """Read a calendar date at the precision the text gives: xsd:date, xsd:gYearMonth or xsd:gYear.

    A month and day without a year ("March 28") take ``default_year`` (the article's publication year), and so
    do years named relative to it ("last year" is the year before); both are dropped when it is unknown. A part
    of a year ("spring 2020", "late 2019") is its year. Other relative dates ("last week", "today") are not values.

    >>> parse_date("late 2019"), parse_date("last year", 2005).lexical, parse_date("last year")
    (Value(lexical='2019', datatype='gYear', unit=None, qualifier=None, text='late 2019'), '2004', None)
    """
    cleaned = " ".join(text.split()).strip(",.")
    part = _PART_OF_YEAR.match(cleaned)
    if part:
        return Value(part.group(1), "gYear", text=text)
    relative = _RELATIVE_YEAR.match(cleaned)
    if relative:
        offset = _YEAR_OFFSETS[" ".join(relative.group(1).lower().split())]
        return None if default_year is None else Value(f"{default_year + offset:04d}", "gYear", text=text)
    for pattern, fields in _DATE_FORMS:
        match = pattern.search(cleaned)
        if not match:
            continue
        parts = dict(zip(fields, match.groups()))
        year = int(parts["y"]) if "y" in parts else default_year
        if year is None:
            return None
        month = int(parts["m"]) if "m" in parts else _MONTHS.get((parts.get("mname") or "").lower().rstrip("."))
        if month is None:
            return Value(f"{year:04d}", "gYear", text=text)
        if "d" not in parts:
            return Value(f"{year:04d}-{month:02d}", "gYearMonth", text=text)
        try:
            day = date(year, month, int(parts["d"]))
        except ValueError:
            return None
        return Value(day.isoformat(), "date", text=text)
    return None


_WORK_YEARS = re.compile(r"((?:1[89]|20)\d\d)(?:\s*[–—-]\s*(\d\d(?:\d\d)?|present))?")


def work_year(parenthesis: str) -> str | None:
    """The year a work came out, from what a text puts in parentheses after its title: "1968" for "1968", "1989"
    for the run of a series ("1989 – 94", "2001-present"); None for anything else, a lifespan included ("1920 –
    2001" spans more than 25 years, a person's dates rather than a show's).

    >>> work_year("1968"), work_year("1989 – 94"), work_year("1920 – 2001"), work_year("born 1965")
    ('1968', '1989', None, None)
    """
    found = _WORK_YEARS.fullmatch(parenthesis.strip())
    if found is None:
        return None
    start, end = found.group(1), found.group(2)
    if end and end != "present":
        last = int(end) if len(end) == 4 else int(start[:2] + end)
        if last < int(start) or last - int(start) > 25:
            return None
    return start
