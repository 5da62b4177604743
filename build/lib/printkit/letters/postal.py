"""Address blocks by the norm of the recipient's country, for letters posted in France, the US or the UK.

Each country sets its address's last lines its own way:

- France, NF Z10-011: the 5-digit postcode, a space and the TOWN in capitals; Monaco and the
  neighbours that La Poste lists write theirs the same way;
- the US, USPS Publication 28: the whole block in capitals (§21), no punctuation but the
  ZIP+4's hyphen (§222), the secondary unit (APT 4B) at the end of the street line, or on the
  line above when it does not fit (§213), and a last line ``CITY ST 12345-6789`` with the
  state's two-letter abbreviation (§224, Appendix B);
- the UK, Royal Mail: the POST TOWN in capitals, then the postcode on a line of its own.

A letter sent abroad adds the country's name in capitals as its last line, in the language of
the country it is posted from (La Poste's rule, Publication 28's A31, and Royal Mail's). Only the
countries below are known: for another one, nothing would tell a wrong postcode from a right
one, so it is refused rather than printed unchecked.
"""

import re
from dataclasses import dataclass

from printkit.letters.source import ADDRESS_WIDTH


@dataclass(frozen=True)
class Country:
    """A destination: its name in French and in English, its postcode's pattern and that rule in words, its norm."""

    french: str
    english: str
    postcode: str
    rule: str
    norm: str = "town"  # "town": postcode TOWN (NF Z10-011); "us": Publication 28; "gb": Royal Mail


COUNTRIES = {
    "FR": Country("FRANCE", "FRANCE", r"\d{5}", "5 digits (NF Z10-011)"),
    "MC": Country("MONACO", "MONACO", r"980\d{2}", "5 digits starting with 980"),
    "BE": Country("BELGIQUE", "BELGIUM", r"\d{4}", "4 digits"),
    "LU": Country("LUXEMBOURG", "LUXEMBOURG", r"(?:L-)?\d{4}", "4 digits, after « L- » or not"),
    "CH": Country("SUISSE", "SWITZERLAND", r"\d{4}", "4 digits"),
    "DE": Country("ALLEMAGNE", "GERMANY", r"\d{5}", "5 digits"),
    "ES": Country("ESPAGNE", "SPAIN", r"\d{5}", "5 digits"),
    "IT": Country("ITALIE", "ITALY", r"\d{5}", "5 digits"),
    "US": Country("ÉTATS-UNIS", "UNITED STATES", r"\d{5}(?:-\d{4})?",
                  "a ZIP Code of 5 digits, or ZIP+4 as 12345-6789 (Publication 28)", "us"),
    "GB": Country("ROYAUME-UNI", "UNITED KINGDOM", r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}",
                  "an outward code, a space and an inward code, as SW1A 1AA (Royal Mail)", "gb"),
}
# The country a campaign posts from, by its jurisdiction, and the language its post office reads.
HOMES = {"fr": "FR", "us": "US", "gb": "GB"}
# USPS Publication 28, Appendix B: the states, the District of Columbia, the territories and the
# armed forces' "states" (§225), by their abbreviation.
STATES = {
    "AL": "ALABAMA", "AK": "ALASKA", "AZ": "ARIZONA", "AR": "ARKANSAS", "CA": "CALIFORNIA", "CO": "COLORADO",
    "CT": "CONNECTICUT", "DE": "DELAWARE", "DC": "DISTRICT OF COLUMBIA", "FL": "FLORIDA", "GA": "GEORGIA",
    "HI": "HAWAII", "ID": "IDAHO", "IL": "ILLINOIS", "IN": "INDIANA", "IA": "IOWA", "KS": "KANSAS",
    "KY": "KENTUCKY", "LA": "LOUISIANA", "ME": "MAINE", "MD": "MARYLAND", "MA": "MASSACHUSETTS",
    "MI": "MICHIGAN", "MN": "MINNESOTA", "MS": "MISSISSIPPI", "MO": "MISSOURI", "MT": "MONTANA",
    "NE": "NEBRASKA", "NV": "NEVADA", "NH": "NEW HAMPSHIRE", "NJ": "NEW JERSEY", "NM": "NEW MEXICO",
    "NY": "NEW YORK", "NC": "NORTH CAROLINA", "ND": "NORTH DAKOTA", "OH": "OHIO", "OK": "OKLAHOMA",
    "OR": "OREGON", "PA": "PENNSYLVANIA", "RI": "RHODE ISLAND", "SC": "SOUTH CAROLINA", "SD": "SOUTH DAKOTA",
    "TN": "TENNESSEE", "TX": "TEXAS", "UT": "UTAH", "VT": "VERMONT", "VA": "VIRGINIA", "WA": "WASHINGTON",
    "WV": "WEST VIRGINIA", "WI": "WISCONSIN", "WY": "WYOMING", "AS": "AMERICAN SAMOA", "GU": "GUAM",
    "MP": "NORTHERN MARIANA ISLANDS", "PR": "PUERTO RICO", "VI": "VIRGIN ISLANDS", "FM": "FEDERATED STATES OF MICRONESIA",
    "MH": "MARSHALL ISLANDS", "PW": "PALAU", "AA": "ARMED FORCES AMERICAS", "AE": "ARMED FORCES EUROPE",
    "AP": "ARMED FORCES PACIFIC",
}
# Publication 28 §222: no punctuation; kept are the hyphen (ZIP+4, Queens house numbers such as
# 123-45), the slash of a fractional address (§231) and the pound sign of a unit (§213).
_PUNCTUATION = re.compile(r"[^\w\s/#-]")


@dataclass(frozen=True)
class Parts:
    """An address as a spreadsheet's row gives it."""

    name: str
    complement: str  # a flat, a building; in the US the secondary unit (APT 4B)
    street: str
    postcode: str
    city: str
    state: str = ""


def home_country(jurisdiction: str) -> str:
    """The code of the country a campaign of this jurisdiction posts its letters from."""
    return HOMES[jurisdiction]


def country_code(value: str, home: str) -> str | None:
    """The ISO code of a country written as its code (« BE ») or its name, in French or English; empty is home."""
    value = value.strip().upper()
    if not value:
        return home
    return value if value in COUNTRIES else next(
        (code for code, c in COUNTRIES.items() if value in (c.french, c.english, _plain(c.french))), None)


def _plain(name: str) -> str:
    return name.replace("É", "E")  # « ETATS-UNIS », as a keyboard without capital accents writes it


def unknown_country(value: str) -> str:
    """Why a country cannot be used, with the ones that can."""
    known = ", ".join(f"{code} ({country.english.title()})" for code, country in COUNTRIES.items())
    return f"country « {value.strip()} » unknown: give a code or a name among {known}"


def address_problems(parts: Parts, code: str) -> list[str]:
    """What is wrong with a row's postcode, or its state in the US."""
    problem = parts.postcode and postcode_problem(parts.postcode, code)
    return ([problem] if problem else []) + (_state_problems(parts.state) if code == "US" else [])


def postcode_problem(postcode: str, code: str) -> str | None:
    """What is wrong with a postcode for a country, or None."""
    country = COUNTRIES[code]
    if re.fullmatch(country.postcode, postcode.upper()):
        return None
    problem = f"postcode « {postcode} » is not one of {code}: {country.rule}"
    if re.fullmatch(country.postcode, "0" + postcode):  # 01000 read as a number by a spreadsheet
        problem += "; a spreadsheet drops a leading 0 unless the column is formatted as text"
    return problem


def _state_problems(state: str) -> list[str]:
    if not state:
        return ["no state: a US address's last line needs its state's two-letter abbreviation (column 'state')"]
    if state_abbreviation(state) is None:
        return [f"state « {state} » unknown: give its two-letter abbreviation (IL, NY, DC…) or its name (Publication 28, Appendix B)"]
    return []


def state_abbreviation(state: str) -> str | None:
    """A US state's two-letter abbreviation, from itself or the state's name."""
    state = " ".join(state.upper().replace(".", "").split())
    return state if state in STATES else next((code for code, name in STATES.items() if name == state), None)


def address_block(parts: Parts, code: str, home: str) -> tuple[str, ...]:
    """The address's lines by the norm of its country, ending with the country's name when sent abroad."""
    country = COUNTRIES[code]
    lines = _BLOCKS[country.norm](parts)
    return tuple(line for line in lines if line) + _country_line(code, home)


def _town_block(parts: Parts) -> tuple[str, ...]:
    """NF Z10-011's order: name, complement (flat, building), street, then postcode and TOWN."""
    return parts.name, parts.complement, parts.street, f"{parts.postcode} {parts.city.upper()}"


def _us_block(parts: Parts) -> tuple[str, ...]:
    """Publication 28: capitals without punctuation; the unit after the street when it fits (§213)."""
    name, unit, street, city = (_us_line(text) for text in (parts.name, parts.complement, parts.street, parts.city))
    if unit and len(f"{street} {unit}") <= ADDRESS_WIDTH:
        street, unit = f"{street} {unit}", ""
    return name, unit, street, f"{city} {state_abbreviation(parts.state)} {parts.postcode}"


def _us_line(text: str) -> str:
    return " ".join(_PUNCTUATION.sub("", text.upper()).split())


def _gb_block(parts: Parts) -> tuple[str, ...]:
    """Royal Mail: name, flat or building, street, POST TOWN in capitals, then the postcode on its own line."""
    postcode = parts.postcode.upper().replace(" ", "")
    return parts.name, parts.complement, parts.street, parts.city.upper(), f"{postcode[:-3]} {postcode[-3:]}"


_BLOCKS = {"town": _town_block, "us": _us_block, "gb": _gb_block}


def _country_line(code: str, home: str) -> tuple[str, ...]:
    """The address's last line for a letter abroad, in the language of the post office it leaves from; none at home."""
    if code == home:
        return ()
    return (COUNTRIES[code].french if home == "FR" else COUNTRIES[code].english,)
