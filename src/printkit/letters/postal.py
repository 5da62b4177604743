"""Postcodes and country lines, per country, for letters posted in France.

NF Z10-011 writes a French address's last line as the 5-digit postcode, a space and the
TOWN. A letter sent abroad keeps the destination's postcode and town line and adds the
country's name, in French and in capitals, as the last line (La Poste's rule for
international mail). Only the countries below are known: for another one, nothing would
tell a wrong postcode from a right one, so it is refused rather than printed unchecked.
"""

import re
from dataclasses import dataclass

HOME = "FR"


@dataclass(frozen=True)
class Country:
    """A destination: its name as the address's last line, its postcode's pattern and that rule in words."""

    name: str
    postcode: str
    rule: str


COUNTRIES = {
    "FR": Country("FRANCE", r"\d{5}", "5 digits (NF Z10-011)"),
    "MC": Country("MONACO", r"980\d{2}", "5 digits starting with 980"),
    "BE": Country("BELGIQUE", r"\d{4}", "4 digits"),
    "LU": Country("LUXEMBOURG", r"(?:L-)?\d{4}", "4 digits, after « L- » or not"),
    "CH": Country("SUISSE", r"\d{4}", "4 digits"),
    "DE": Country("ALLEMAGNE", r"\d{5}", "5 digits"),
    "ES": Country("ESPAGNE", r"\d{5}", "5 digits"),
    "IT": Country("ITALIE", r"\d{5}", "5 digits"),
}


def country_code(value: str) -> str | None:
    """The ISO code of a country written as its code (« BE ») or its French name (« Belgique »); empty is France."""
    value = value.strip().upper()
    if not value:
        return HOME
    return value if value in COUNTRIES else next((code for code, c in COUNTRIES.items() if c.name == value), None)


def unknown_country(value: str) -> str:
    """Why a country cannot be used, with the ones that can."""
    known = ", ".join(f"{code} ({country.name.capitalize()})" for code, country in COUNTRIES.items())
    return f"country « {value.strip()} » unknown: give a code or a name among {known}"


def postcode_problem(postcode: str, code: str) -> str | None:
    """What is wrong with a postcode for a country, or None."""
    country = COUNTRIES[code]
    if re.fullmatch(country.postcode, postcode):
        return None
    problem = f"postcode « {postcode} » is not one of {code}: {country.rule}"
    if re.fullmatch(country.postcode, "0" + postcode):  # 01000 read as a number by a spreadsheet
        problem += "; a spreadsheet drops a leading 0 unless the column is formatted as text"
    return problem


def country_line(code: str) -> tuple[str, ...]:
    """The address's last line for a letter abroad; none at home."""
    return () if code == HOME else (COUNTRIES[code].name,)
