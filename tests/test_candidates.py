"""The list of candidates (candidates.yaml): a fictional list loads; each rule of the Code électoral
has a planted defect, reported at its line with the article; every problem comes at once; the
command line says so without a traceback. The real campaign has no list, and gets none."""

from pathlib import Path

import pytest
import yaml

from printkit.errors import InvalidInput
from printkit.programme.loader import read_programme

from conftest import FIXTURES, ROOT, make_small, run_printkit, write_yaml

FIXTURE = FIXTURES / "candidates" / "candidates.yaml"
# The fictional commune's figures (see the fixture's header): 1,200 inhabitants, so the law of
# communes of 1,000 and more, with a community list.
SITE = "https://val-fleuri.example"  # fictional, as the list
ELECTION = {"name": "Val-Fleuri solidaire", "city": "Val-Fleuri-sur-Orge", "seats": 15, "community_seats": 2,
            "population": 1200, "voters": 900, "website": SITE,
            "urls": {"programme": f"{SITE}/programme", "measure": f"{SITE}/programme#mesure-{{number}}",
                     "theme": f"{SITE}/programme?theme={{slug}}"}}
L264 = "each candidate must be of the other sex from the one before (Code électoral L264)"


def listed(tmp_path: Path, text: str | None = None, **election) -> Path:
    """The small project as the fictional commune's, with the fixture's list (or ``text``) in candidates.yaml."""
    folder = make_small(tmp_path, **(ELECTION | election)) / "programme"
    (folder / "candidates.yaml").write_text(FIXTURE.read_text() if text is None else text, encoding="utf-8")
    return folder


def planted(old: str, new: str, text: str | None = None) -> str:
    """The fixture's text with one defect planted: ``old`` must be found exactly once."""
    text = FIXTURE.read_text() if text is None else text
    assert text.count(old) == 1, old
    return text.replace(old, new)


def at(folder: Path, text: str, needle: str, nth: int = 0, mark: str = "{") -> str:
    """``file:line:column`` of the item holding ``needle`` (its ``nth`` occurrence): where the loader points."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    line = text.splitlines()[lines[nth] - 1]
    return f"{folder / 'candidates.yaml'}:{lines[nth]}:{line.index(mark) + 1}"


def problems_of(folder: Path) -> list[str]:
    """The problems the loader finds, none when it loads: a refusal is asserted, never a crash."""
    try:
        read_programme(folder)
    except InvalidInput as refused:
        return [str(problem) for problem in refused.problems]
    return []


# the fictional list, and the real campaign


def test_the_fictional_list_loads_in_order_with_the_figures_products_need(tmp_path):
    programme, warnings = read_programme(listed(tmp_path))
    candidates, campaign = programme.candidates, programme.campaign
    assert [c.name for c in candidates.municipal[:2]] == ["Maëlle Dantec-Rousseau", "Karim Benali"]
    assert len(candidates.municipal) == 16 and [c.sex for c in candidates.municipal[:3]] == ["F", "M", "F"]
    assert [(c.name, c.nationality) for c in candidates.municipal if c.nationality] == [
        ("Tiago Morais", "portugais"), ("Hélène Kowalczyk", "polonaise")]
    assert [c.name for c in candidates.community] == ["Maëlle Dantec-Rousseau", "Karim Benali", "Claire Vasseur"]
    assert [c.name for c in candidates.supplementary(campaign.seats)] == ["Bastien Roche"]
    assert (campaign.seats, campaign.community_seats, campaign.population, campaign.voters) == (15, 2, 1200, 900)
    assert not warnings


def test_the_real_campaign_has_no_list_and_gets_none():
    """Clamart's candidates are not in the source: none may be invented."""
    assert not (ROOT / "programme" / "candidates.yaml").exists()
    programme, _ = read_programme(ROOT / "programme")
    assert programme.candidates is None and programme.campaign.seats is None


def test_a_meeting_may_name_its_speakers(tmp_path):
    folder = listed(tmp_path)
    write_yaml(folder / "identity.yaml", {"meetings": [{"date": "2032-02-12", "place": "Salle des fêtes",
                                                      "speakers": ["Maëlle Dantec-Rousseau", "Karim Benali"]}]})
    programme, _ = read_programme(folder)
    assert programme.identity.meetings[0].speakers == ("Maëlle Dantec-Rousseau", "Karim Benali")


# the number of candidates (L260; L252 under 1,000 inhabitants)


@pytest.mark.parametrize("count", [14, 18])
def test_a_list_short_of_the_seats_or_past_two_extra_is_refused(tmp_path, count):
    lines = FIXTURE.read_text().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("  - "))
    extra = ["  - {first_name: Lucie, last_name: Brunel, sex: F}\n",
             "  - {first_name: Paul, last_name: Sorel, sex: M}\n"]
    municipal = lines[first:first + 16]
    municipal = municipal[:count] if count < 16 else municipal + extra
    text = "".join(lines[:first] + municipal + lines[first + 16:])
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Dantec', mark='-')}: the municipal list has {count} "
                                   "candidates: with 15 seats in a commune of 1,200 inhabitants it needs 15 to 17 "
                                   "(Code électoral L260)"]


def small_commune(count: int) -> dict:
    """A list of ``count`` for a commune of 420 inhabitants (11 seats), which has no community list."""
    municipal = yaml.safe_load(FIXTURE.read_text())["municipal"][:count]
    return {"municipal": municipal}


def test_under_1000_inhabitants_a_list_may_run_two_short(tmp_path):
    folder = make_small(tmp_path, **(ELECTION | {"seats": 11, "population": 420})) / "programme"
    write_yaml(folder / "candidates.yaml", small_commune(9))
    assert problems_of(folder) == []
    assert len(read_programme(folder)[0].candidates.municipal) == 9


def test_under_1000_inhabitants_three_short_is_refused(tmp_path):
    folder = make_small(tmp_path, **(ELECTION | {"seats": 11, "population": 420})) / "programme"
    write_yaml(folder / "candidates.yaml", small_commune(8))
    assert problems_of(folder) == [f"{folder / 'candidates.yaml'}:2:1: the municipal list has 8 candidates: with 11 "
                                   "seats in a commune of 420 inhabitants it needs 9 to 13 (Code électoral L252 and "
                                   "L260)"]


def test_under_1000_inhabitants_there_is_no_community_list(tmp_path):
    text = FIXTURE.read_text()
    folder = listed(tmp_path, text, population=900)
    assert problems_of(folder) == [f"{at(folder, text, 'Dantec', nth=1, mark='-')}: a commune under 1,000 "
                                   "inhabitants has no community list: its community councillors are its councillors "
                                   "in the order of the tableau (Code électoral L273-11)"]


@pytest.mark.parametrize("left_out, why", [
    ("seats", "the list is counted against the council's seats (Code électoral L260)"),
    ("population", "the commune's size sets how many candidates a list needs (Code électoral L252, L260)"),
], ids=["seats", "population"])
def test_a_list_needs_the_seats_and_the_population(tmp_path, left_out, why):
    folder = listed(tmp_path)
    campaign = yaml.safe_load((folder / "campaign.yaml").read_text())
    del campaign[left_out]
    write_yaml(folder / "campaign.yaml", campaign)
    assert problems_of(folder) == [f"{folder / 'campaign.yaml'}:1:1: campaign.yaml lacks the key '{left_out}', which "
                                   f"candidates.yaml needs: {why}"]


# alternation (L264) and each candidate's data


def test_two_candidates_of_the_same_sex_in_a_row_are_refused(tmp_path):
    text = planted("Roche, sex: M}", "Roche, sex: F}")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Roche')}: candidate 16, Bastien Roche, is F as candidate 15 "
                                   f"is: {L264}"]


def test_a_sex_other_than_f_or_m_is_refused_and_its_neighbours_are_not_blamed(tmp_path):
    text = planted("Roche, sex: M}", "Roche, sex: H}")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Roche', mark='H')}: a candidate's sex must be F or M, not 'H'"]


@pytest.mark.parametrize("written, why", [
    ("britannique", "nationality 'britannique' is not that of a member state of the European Union other than "
                    "France: only their nationals may stand (Code électoral LO228-1); write it as the French "
                    "adjective, for example 'portugaise' or 'allemand'"),
    ("française", "a French candidate has no nationality: key; it names the EU state of a candidate who is not "
                  "French (Code électoral LO247-1)"),
], ids=["not-eu", "french"])
def test_a_nationality_other_than_another_eu_state_s_is_refused(tmp_path, written, why):
    text = planted("nationality: polonaise", f"nationality: {written}")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Kowalczyk', mark=written)}: {why}"]


def test_an_empty_name_is_refused(tmp_path):
    text = planted("last_name: Perrot", "last_name: ''")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Louise', mark=chr(39))}: a municipal candidate's last name is "
                                   "empty (expected some text)"]


# the community list (L273-9)


def community(*names: str) -> str:
    """The fixture with its community list replaced by these municipal candidates, by last name."""
    people = {c["last_name"]: c for c in yaml.safe_load(FIXTURE.read_text())["municipal"]}
    text = FIXTURE.read_text()
    lines = [f"  - {{first_name: {people[n]['first_name']}, last_name: {n}, sex: {people[n]['sex']}}}\n" for n in names]
    return text[:text.index("community:\n") + len("community:\n")] + "".join(lines)


def test_the_community_list_keeps_the_municipal_order(tmp_path):
    text = community("Dantec-Rousseau", "Morais", "Lemaire")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Lemaire', nth=1)}: community candidate 3, Sophie Lemaire, "
                                   "comes before Tiago Morais on the municipal list: the community list keeps the "
                                   "municipal list's order (Code électoral L273-9, I 2°)"]


def test_the_community_list_is_drawn_from_the_municipal_list(tmp_path):
    text = community("Dantec-Rousseau", "Benali") + "  - {first_name: Agathe, last_name: Fontaine, sex: F}\n"
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Fontaine')}: community candidate 3, Agathe Fontaine, is not "
                                   "on the municipal list: every community candidate is drawn from it (Code électoral "
                                   "L273-9, I)"]


def test_the_community_list_has_one_more_candidate_than_seats_under_five(tmp_path):
    text = community("Dantec-Rousseau", "Benali")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Dantec', nth=1, mark='-')}: the community list has 2 "
                                   "candidates: 2 community seats need 3, one more if under five, two more from five "
                                   "(Code électoral L273-9, I 1°)"]


def test_a_community_candidate_has_the_sex_the_municipal_list_gives(tmp_path):
    text = community("Dantec-Rousseau", "Benali") + "  - {first_name: Claire, last_name: Vasseur, sex: M}\n"
    folder = listed(tmp_path, text)
    where = at(folder, text, "Vasseur", nth=1)
    assert problems_of(folder) == [
        f"{where}: community candidate 3, Claire Vasseur, is M as community candidate 2 is: each candidate must be "
        "of the other sex from the one before (Code électoral L273-9, I 3°)",
        f"{where}: community candidate 3, Claire Vasseur, is M here and F on the municipal list"]


def test_the_community_list_alternates_the_sexes(tmp_path):
    text = community("Dantec-Rousseau", "Lemaire", "Morais")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Lemaire', nth=1)}: community candidate 2, Sophie Lemaire, is "
                                   "F as community candidate 1 is: each candidate must be of the other sex from the "
                                   "one before (Code électoral L273-9, I 3°)"]


def test_the_community_list_s_first_heads_the_municipal_list(tmp_path):
    text = community("Lemaire", "Morais", "Vasseur")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Lemaire', nth=1)}: community candidate 1, Sophie Lemaire, must "
                                   "be municipal candidate 1, Maëlle Dantec-Rousseau: the community list's first "
                                   "candidate must head the municipal list in the same order (Code électoral L273-9, "
                                   "I 4°)"]


def test_the_community_list_is_drawn_from_the_first_three_fifths(tmp_path):
    text = community("Dantec-Rousseau", "Benali", "Laborde")
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{at(folder, text, 'Laborde', nth=1)}: community candidate 3, Inès Laborde, is "
                                   "municipal candidate 11: every community candidate is among the first 9 of the "
                                   "municipal list, three fifths of its 15 seats (Code électoral L273-9, I 5°, and "
                                   "R130-1-A)"]


def test_past_three_fifths_the_community_list_is_the_municipal_list_s_head(tmp_path):
    """8 community seats need 10 candidates, more than 3/5 of 15: the first ten, exactly (L273-9, II)."""
    head = [c["last_name"] for c in yaml.safe_load(FIXTURE.read_text())["municipal"][:10]]
    assert problems_of(listed(tmp_path / "whole", community(*head), community_seats=8)) == []
    text = community(*head[:9], "Le Goff")
    folder = listed(tmp_path / "skips", text, community_seats=8)
    assert problems_of(folder) == [f"{at(folder, text, 'Le Goff', nth=1)}: community candidate 10, Yves Le Goff, must "
                                   "be municipal candidate 10, Marc-Olivier Tessier: 10 community candidates are more "
                                   "than three fifths of the 15 municipal seats, so the community list follows the "
                                   "municipal list from its head (Code électoral L273-9, II)"]


def test_community_seats_need_a_community_list(tmp_path):
    text = FIXTURE.read_text()[:FIXTURE.read_text().index("community:")]
    folder = listed(tmp_path, text)
    assert problems_of(folder) == [f"{folder / 'candidates.yaml'}:9:1: campaign.yaml gives 2 community seats: "
                                   "candidates.yaml needs the community: list the ballot carries beside the municipal "
                                   "one (Code électoral L273-9)"]


# every problem at once, and the command line


def test_every_problem_is_reported_at_once(tmp_path):
    text = community("Dantec-Rousseau", "Lemaire", "Morais")
    text = planted("Roche, sex: M}", "Roche, sex: F}", text)
    text = planted("nationality: polonaise", "nationality: suisse", text)
    folder = listed(tmp_path, text)
    problems = problems_of(folder)
    assert [problem.split(": ", 1)[1][:20] for problem in problems] == [
        "nationality 'suisse'", "candidate 16, Bastie", "community candidate "]


def test_the_command_line_names_the_file_and_line_without_a_traceback(tmp_path):
    text = planted("Roche, sex: M}", "Roche, sex: F}")
    listed(tmp_path, text)
    result = run_printkit("export", "--json", cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Roche" in row)
    located = f"programme/candidates.yaml:{line}:5: candidate 16, Bastien Roche, is F as candidate 15 is: "
    assert located in result.stderr


def test_a_list_is_french_law_only(tmp_path):
    folder = listed(tmp_path, locale="en-US")
    assert problems_of(folder) == [f"{folder / 'candidates.yaml'}:9:1: candidates.yaml is a French municipal list, "
                                   "checked against the Code électoral, but campaign.yaml's jurisdiction is 'us'"]


def test_the_fixture_says_it_is_fictional():
    assert "FICTIONAL" in FIXTURE.read_text().splitlines()[0]
