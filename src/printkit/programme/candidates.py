"""The list of candidates, from the optional ``programme/candidates.yaml``, checked against the
Code électoral as it applies to the commune's size (docs/law.md, "The list of candidates").

A list the prefecture would refuse is refused here first: every problem points at
``file:line:column`` and joins the loader's, so that the whole list is corrected in one pass.
"""

from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import yaml

from printkit.programme.model import Candidate, Candidates
from printkit.programme.schema import Values, jurisdiction_of
from printkit.programme.yamlsource import Reader, read_yaml

FILE = "candidates.yaml"
NAMES = ("first_name", "last_name")
SEXES = ("F", "M")
SMALL_COMMUNE = 1_000  # inhabitants: below, a list may run two candidates short of the seats (L252)
NEEDED = {"seats": "the list is counted against the council's seats (Code électoral L260)",
          "population": "the commune's size sets how many candidates a list needs (Code électoral L252, L260)"}

# The French adjective of each member state of the European Union other than France, masculine and
# feminine: the form a ballot prints beside an EU national's name (LO247-1, R117-4).
EU_NATIONALITIES = {
    "Allemagne": ("allemand", "allemande"), "Autriche": ("autrichien", "autrichienne"),
    "Belgique": ("belge",), "Bulgarie": ("bulgare",), "Chypre": ("chypriote",), "Croatie": ("croate",),
    "Danemark": ("danois", "danoise"), "Espagne": ("espagnol", "espagnole"), "Estonie": ("estonien", "estonienne"),
    "Finlande": ("finlandais", "finlandaise"), "Grèce": ("grec", "grecque"), "Hongrie": ("hongrois", "hongroise"),
    "Irlande": ("irlandais", "irlandaise"), "Italie": ("italien", "italienne"), "Lettonie": ("letton", "lettone"),
    "Lituanie": ("lituanien", "lituanienne"), "Luxembourg": ("luxembourgeois", "luxembourgeoise"),
    "Malte": ("maltais", "maltaise"), "Pays-Bas": ("néerlandais", "néerlandaise"),
    "Pologne": ("polonais", "polonaise"), "Portugal": ("portugais", "portugaise"), "Roumanie": ("roumain", "roumaine"),
    "Slovaquie": ("slovaque",), "Slovénie": ("slovène",), "Suède": ("suédois", "suédoise"),
    "Tchéquie": ("tchèque",),
}
NATIONALITIES = {form for forms in EU_NATIONALITIES.values() for form in forms}


class _Entry(NamedTuple):
    """A candidate as read, with the node that names them, for a message to point at."""

    candidate: Candidate
    node: yaml.Node

    @property
    def key(self) -> tuple[str, str]:
        """Who the candidate is, as the community list names them again."""
        return self.candidate.first_name, self.candidate.last_name


def read_candidates(folder: Path, reader: Reader, campaign: Values | None) -> Candidates | None:
    """The list in candidates.yaml, checked against campaign.yaml's seats and population; None
    when the file does not exist, or once the reader holds why it cannot be read."""
    if not (folder / FILE).is_file():
        return None
    node = read_yaml(folder / FILE, reader.label, reader.problems)
    keys = reader.mapping(node, FILE, required=("municipal",), optional=("community",)) if node else None
    if not keys or "municipal" not in keys:
        return None
    municipal = _entries(reader, keys["municipal"], "municipal")
    community = _entries(reader, keys["community"], "community") if "community" in keys else None
    if _french(reader, node, campaign):
        _check(reader, node, keys, municipal, community, campaign)
    return Candidates(_people(municipal), _people(community or []))


def _people(entries: list) -> tuple[Candidate, ...]:
    return tuple(entry.candidate for entry in entries if entry is not None)


# reading


def _entries(reader: Reader, node: yaml.Node, which: str) -> list[_Entry | None]:
    """Every item of a list, None where one is wrong: the rules that compare neighbours skip it
    rather than report a mistake that is not there."""
    return [_candidate(reader, item, which) for item in reader.sequence(node, f"the {which} list")]


def _candidate(reader: Reader, node: yaml.Node, which: str) -> _Entry | None:
    keys = reader.mapping(node, f"a {which} candidate", required=(*NAMES, "sex"), optional=("nationality",))
    if keys is None or any(key not in keys for key in (*NAMES, "sex")):
        return None
    first, last = (reader.text(keys[key], f"a {which} candidate's {key.replace('_', ' ')}") for key in NAMES)
    sex = _sex(reader, keys["sex"])
    nationality = _nationality(reader, keys["nationality"]) if "nationality" in keys else ""
    if None in (first, last, sex, nationality):
        return None
    return _Entry(Candidate(first, last, sex, nationality), node)


def _sex(reader: Reader, node: yaml.Node) -> str | None:
    sex = reader.text(node, "a candidate's sex")
    if sex is not None and sex not in SEXES:
        reader.fail(node, f"a candidate's sex must be F or M, not '{sex}'")
        return None
    return sex


def _nationality(reader: Reader, node: yaml.Node) -> str | None:
    """Another EU state's nationality, lowercased as French writes adjectives of nationality."""
    written = reader.text(node, "a candidate's nationality")
    if written is None or written.lower() in NATIONALITIES:
        return written and written.lower()
    if written.lower() in ("français", "française"):
        reader.fail(node, "a French candidate has no nationality: key; it names the EU state of a candidate "
                          "who is not French (Code électoral LO247-1)")
    else:
        reader.fail(node, f"nationality '{written}' is not that of a member state of the European Union other than "
                          "France: only their nationals may stand (Code électoral LO228-1); write it as the French "
                          "adjective, for example 'portugaise' or 'allemand'")
    return None


# the law


def _french(reader: Reader, node: yaml.Node, campaign: Values | None) -> bool:
    """Whether the list falls under the Code électoral, the only law printkit knows lists by."""
    jurisdiction = jurisdiction_of(campaign) if isinstance(campaign, Values) else None
    if jurisdiction in (None, "fr"):
        return True
    reader.fail(node, f"{FILE} is a French municipal list, checked against the Code électoral, but campaign.yaml's "
                      f"jurisdiction is '{jurisdiction}'")
    return False


def _check(reader: Reader, node: yaml.Node, keys: dict, municipal: list, community: list | None,
           campaign: Values | None) -> None:
    _alternate(reader, municipal, "candidate", "L264")
    seats, population = _needed(reader, campaign)
    if seats is None or population is None:
        return
    _count(reader, keys["municipal"], len(municipal), seats, population)
    if population < SMALL_COMMUNE:
        if community is not None:
            reader.fail(keys["community"], f"a commune under {SMALL_COMMUNE:,} inhabitants has no community list: its "
                                           "community councillors are its councillors in the order of the tableau "
                                           "(Code électoral L273-11)")
    elif _community_seats(reader, node, keys, community, campaign):
        _community(reader, keys["community"], municipal, community, seats, campaign["community_seats"])


def _needed(reader: Reader, campaign: Values | None) -> tuple[int | None, int | None]:
    """campaign.yaml's seats and population, each reported where it is left out."""
    if not isinstance(campaign, Values):  # campaign.yaml is no mapping, which the schema has reported
        return None, None
    for key, why in NEEDED.items():
        if key not in campaign.key_at:
            reader.problems.add(campaign.where, f"campaign.yaml lacks the key '{key}', which {FILE} needs: {why}")
    return campaign["seats"], campaign["population"]


def _count(reader: Reader, node: yaml.Node, count: int, seats: int, population: int) -> None:
    small = population < SMALL_COMMUNE
    low, articles = (seats - 2, "L252 and L260") if small else (seats, "L260")
    if not low <= count <= seats + 2:
        reader.fail(node, f"the municipal list has {count} candidates: with {seats} seats in a commune of "
                          f"{population:,} inhabitants it needs {low} to {seats + 2} (Code électoral {articles})")


def _alternate(reader: Reader, entries: list, what: str, article: str) -> None:
    """Each candidate of the other sex from the one before; a wrong neighbour is skipped, not blamed."""
    for number, (before, entry) in enumerate(pairwise(entries), 2):
        if before and entry and before.candidate.sex == entry.candidate.sex:
            reader.fail(entry.node, f"{what} {number}, {entry.candidate.name}, is {entry.candidate.sex} as {what} "
                                    f"{number - 1} is: each candidate must be of the other sex from the one before "
                                    f"(Code électoral {article})")


# the community list (L273-9), in communes of 1,000 inhabitants and more


def _community_seats(reader: Reader, node: yaml.Node, keys: dict, community: list | None, campaign: Values) -> bool:
    """Whether the community list and its seats are both given, each reported when the other is alone."""
    given = "community_seats" in campaign.key_at
    if community is not None and not given:
        reader.fail(keys["community"], "a community list needs campaign.yaml's community_seats: the commune's seats "
                                       "on its intercommunal council (Code électoral L273-9)")
    elif community is None and given:
        reader.fail(node, f"campaign.yaml gives {campaign['community_seats'] or 'some'} community seats: {FILE} needs "
                          "the community: list the ballot carries beside the municipal one (Code électoral L273-9)")
    return community is not None and campaign["community_seats"] is not None


def _community(reader: Reader, node: yaml.Node, municipal: list, community: list, seats: int,
               community_seats: int) -> None:
    positions = _drawn(reader, municipal, community)
    wanted = community_seats + (1 if community_seats < 5 else 2)
    if len(community) != wanted:
        reader.fail(node, f"the community list has {len(community)} candidates: {community_seats} community seats need "
                          f"{wanted}, one more if under five, two more from five (Code électoral L273-9, I 1°)")
    _alternate(reader, community, "community candidate", "L273-9, I 3°")
    if 5 * wanted > 3 * seats:
        _from_the_head(reader, municipal, community, positions, len(community), "II", seats)
    else:
        _from_the_head(reader, municipal, community, positions, max(1, community_seats // 4), "I 4°", seats)
        _three_fifths(reader, community, positions, seats)


def _drawn(reader: Reader, municipal: list, community: list) -> list[int | None]:
    """Where each community candidate stands on the municipal list (0 first), found in order after the
    one before: a name the municipal list does not hold, or holds only earlier, is reported."""
    keys = [entry.key if entry else None for entry in municipal]
    positions, last = [], -1
    for number, entry in enumerate(community, 1):
        position = _position(reader, keys, municipal, entry, number, last) if entry else None
        positions.append(position)
        last = last if position is None else position
    return positions


def _position(reader: Reader, keys: list, municipal: list, entry: _Entry, number: int, last: int) -> int | None:
    later = [index for index in range(last + 1, len(keys)) if keys[index] == entry.key]
    name = entry.candidate.name
    if later:
        _same_sex(reader, entry, municipal[later[0]], number)
        return later[0]
    if entry.key in keys:  # only before the community candidate found last: out of order
        reader.fail(entry.node, f"community candidate {number}, {name}, comes before "
                                f"{municipal[last].candidate.name} on the municipal list: the community list keeps "
                                "the municipal list's order (Code électoral L273-9, I 2°)")
    if entry.key not in keys:
        reader.fail(entry.node, f"community candidate {number}, {name}, is not on the municipal list: every community "
                                "candidate is drawn from it (Code électoral L273-9, I)")
    return None


def _same_sex(reader: Reader, entry: _Entry, municipal: _Entry, number: int) -> None:
    if entry.candidate.sex != municipal.candidate.sex:
        reader.fail(entry.node, f"community candidate {number}, {entry.candidate.name}, is {entry.candidate.sex} here "
                                f"and {municipal.candidate.sex} on the municipal list")


def _from_the_head(reader: Reader, municipal: list, community: list, positions: list, head: int, rule: str,
                   seats: int) -> None:
    """The first ``head`` community candidates are the municipal list's first, in its order."""
    why = _head_rule(rule, head, len(community), seats)
    for index, (entry, position) in enumerate(zip(community[:head], positions[:head])):
        if position is not None and position != index and municipal[index]:
            reader.fail(entry.node, f"community candidate {index + 1}, {entry.candidate.name}, must be municipal "
                                    f"candidate {index + 1}, {municipal[index].candidate.name}: {why} "
                                    f"(Code électoral L273-9, {rule})")


def _head_rule(rule: str, head: int, count: int, seats: int) -> str:
    if rule == "II":
        return (f"{count} community candidates are more than three fifths of the {seats} municipal seats, so the "
                "community list follows the municipal list from its head")
    first = "first candidate" if head == 1 else f"first {head} candidates"
    return f"the community list's {first} must head the municipal list in the same order"


def _three_fifths(reader: Reader, community: list, positions: list, seats: int) -> None:
    """Every community candidate among the first three fifths of the municipal list, counted on its seats
    and not its extra candidates (R130-1-A)."""
    limit = 3 * seats // 5
    for number, (entry, position) in enumerate(zip(community, positions), 1):
        if position is not None and position + 1 > limit:
            reader.fail(entry.node, f"community candidate {number}, {entry.candidate.name}, is municipal candidate "
                                    f"{position + 1}: every community candidate is among the first {limit} of the "
                                    f"municipal list, three fifths of its {seats} seats (Code électoral L273-9, "
                                    "I 5°, and R130-1-A)")
