"""The official election material, from the fictional list (tests/fixtures/candidates, FICTIONAL):
the ballot is built to R30 and passes the check; each R30 rule has a planted defect that the
check finds on the rendered file; the real campaign, without a list, gets no ballot and is told
so once."""

import dataclasses
import shutil
from pathlib import Path

import pytest

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.checks import check_pdf
from printkit.pipeline.build import build
from printkit.pipeline.pack import job_ticket
from printkit.pipeline.plan import BuildRequest, plan_materials
from printkit.products import Material
from printkit.products.ballot import ballot_format
from printkit.programme.loader import read_programme
from printkit.programme.model import Candidate, Candidates

from conftest import ROOT, make_small, run_printkit, write_yaml
from pdfcheck import text as pdf_text
from test_candidates import ELECTION, FIXTURE

BALLOT = "official/ballot.pdf"
ONE_INK = "a ballot is printed in one ink (Code électoral R30)"
GROUND = "the ballot has a ground"
MORE = "the ballot prints more than the list's title and its candidates"
POSTER, MEETING = "official/poster.pdf", "official/meeting-poster.pdf"
IDENTITY = {"slogan": "Une ville à vivre", "head_of_list": "Maëlle Dantec-Rousseau",
            "meetings": [{"date": "2026-02-12", "time": "19 h 30", "place": "Salle des fêtes",
                          "speakers": ["Maëlle Dantec-Rousseau", "Karim Benali"]},
                         {"date": "2026-03-05", "time": "20 h", "place": "Gymnase des Prés"}]}
PRINTER = {"printer_name": "Imprimerie du Val", "printer_address": "3 rue des Presses, 91000 Val-Fleuri-sur-Orge",
           "publisher": "Val-Fleuri solidaire"}


def fictional(root: Path, **changes) -> Path:
    """The fictional commune's campaign (the small programme, the fixture's list of candidates, and two
    meetings with their speakers)."""
    make_small(root, **(ELECTION | changes))
    shutil.copyfile(FIXTURE, root / "programme" / "candidates.yaml")
    write_yaml(root / "programme" / "identity.yaml", IDENTITY)
    return root


def ballot_of(root: Path, layouts: dict[str, str] | None = None) -> tuple[Path, list]:
    """Build the ballot, with a designer's layout files (name: text) when given; its file and what the check finds."""
    return built(root, "ballots", BALLOT, layouts)


def built(root: Path, which: str, output: str, layouts: dict[str, str] | None = None) -> tuple[Path, list]:
    """Build one kind, with a designer's layout files (name: text) when given; its file and what the check finds."""
    designer = None
    if layouts:
        designer = root / "designer"
        for name, text in layouts.items():
            (designer / name).parent.mkdir(parents=True, exist_ok=True)
            (designer / name).write_text(text)
    report = build(BuildRequest(root, root / "output", which, layouts=designer, jobs=1))
    # the kind's file first, then its copy-shop sheets (the campaign poster's tiles)
    assert report.outputs[0].path == output and not any(o.error for o in report.outputs), report.outputs
    programme, _ = read_programme(root / "programme")
    return root / "output" / output, check_pdf(root / "output" / output, output, programme)


def builtin(name: str) -> str:
    return (BUILTIN_LAYOUTS / name).read_text()


def errors(findings: list) -> list[str]:
    return [f.what for f in findings if f.level == "error"]


@pytest.fixture(scope="module")
def ballot(tmp_path_factory) -> tuple[Path, list]:
    return ballot_of(fictional(tmp_path_factory.mktemp("ballot")))


# the ballot as built


def test_the_fictional_list_makes_a_landscape_a5_ballot_that_the_check_passes(ballot):
    path, findings = ballot
    assert errors(findings) == []
    import pikepdf

    with pikepdf.open(path) as pdf:
        left, bottom, right, top = (float(v) for v in pdf.pages[0].TrimBox)
        assert len(pdf.pages) == 1 and (round((right - left) / 72 * 25.4), round((top - bottom) / 72 * 25.4)) == (210, 148)


def test_the_ballot_prints_the_title_and_both_lists_in_order_with_the_nationalities(ballot):
    text = " ".join(pdf_text(ballot[0]).split())
    assert "Val-Fleuri solidaire" in text
    municipal = text.index("LISTE DES CANDIDATS AU CONSEIL MUNICIPAL")
    assert text.index("Maëlle DANTEC-ROUSSEAU") > municipal and "Tiago MORAIS (portugais)" in text
    assert "Hélène KOWALCZYK (polonaise)" in text and "16 Bastien ROCHE" in text
    assert "COMMUNAUTAIRE" in text and "3 Claire VASSEUR" in text
    assert "Ne pas jeter" not in text and "2032" not in text  # no imprint, no round's date


@pytest.mark.parametrize(("names", "size"), [(4, (148, 105)), (5, (210, 148)), (31, (210, 148)), (32, (297, 210))])
def test_r30_sizes_the_ballot_by_its_names_leaving_out_the_extra_candidates(tmp_path, names, size):
    programme, _ = read_programme(fictional(tmp_path) / "programme")
    people = tuple(Candidate(f"Prénom{i}", f"Nom{i}", "FM"[i % 2]) for i in range(names + 2))
    listed = dataclasses.replace(programme, candidates=Candidates(people),
                                 campaign=dataclasses.replace(programme.campaign, seats=names))
    found = ballot_format(listed).size
    assert (found.width, found.height) == size


def test_the_ticket_asks_for_white_paper_of_r30_s_weight_and_twice_the_voters_plus_ten_percent(ballot, tmp_path):
    root = fictional(tmp_path, imprint=PRINTER)
    programme, _ = read_programme(root / "programme")
    ticket = job_ticket(Material("ballot", None, BALLOT), _output(ballot[0]), ballot[0].read_bytes(), programme, "b.pdf")
    assert "papier blanc 70 à 80 g/m²" in ticket and "R30" in ticket
    assert "1980" in "".join(ticket.split())  # 900 voters × 2, plus 10 % (R39)


def _output(path: Path):
    from printkit.pipeline.make import Output

    return Output(BALLOT, "ballot", 1, path.stat().st_size)


# planted defects: each fails the check on the rendered file


def test_a_second_ink_on_the_ballot_is_an_error(tmp_path):
    css = builtin("ballot/ballot.css") + "\n.ballot-title { color: device-cmyk(0 1 1 0); }\n"
    _, findings = ballot_of(fictional(tmp_path), {"ballot/ballot.css": css})
    assert [what for what in errors(findings) if what.startswith(ONE_INK)] == [
        f"{ONE_INK}, but its separations hold 3: K, M, Y"]


def test_a_tinted_ground_on_the_ballot_is_an_error(tmp_path):
    css = builtin("ballot/ballot.css") + "\n@page { background: device-cmyk(0 0 0 0.25); }\n"
    _, findings = ballot_of(fictional(tmp_path), {"ballot/ballot.css": css})
    assert any(what.startswith(GROUND) for what in errors(findings))
    assert not any(what.startswith(ONE_INK) for what in errors(findings))  # still one ink: only the ground is wrong


def test_a_ballot_of_another_size_than_its_names_call_for_is_an_error(tmp_path):
    css = builtin("ballot/ballot.css") + "\n@page { size: 297mm 210mm; }\n"
    _, findings = ballot_of(fictional(tmp_path), {"ballot/ballot.css": css})
    assert "the ballot is trimmed to 297 × 210 mm, but R30 gives a list of 15 names 210 × 148 mm, landscape " \
           "(Code électoral R30, R117-5)" in errors(findings)


def test_a_slogan_on_the_ballot_is_an_error(tmp_path):
    html = builtin("ballot/ballot.html").replace("</h1>", '</h1><p class="slogan">Ensemble, changeons tout</p>', 1)
    _, findings = ballot_of(fictional(tmp_path), {"ballot/ballot.html": html})
    assert [what for what in errors(findings) if what.startswith(MORE)] == [
        f"{MORE}: « ensemble,changeonstout » (no name but the candidates', nothing else: Code électoral R30)"]


def test_a_ballot_whose_names_are_out_of_order_or_missing_is_an_error(tmp_path):
    html = builtin("ballot/ballot.html").replace("{{ names(candidates.municipal) }}",
                                                 "{{ names(candidates.municipal[:2] + candidates.municipal[3:]) }}")
    _, findings = ballot_of(fictional(tmp_path), {"ballot/ballot.html": html})
    assert "« Sophie » is missing from the ballot, or out of the list's order (Code électoral L260, R30)" in errors(findings)


def test_a_ticket_whose_paper_r30_does_not_allow_is_an_error(ballot, tmp_path):
    root = fictional(tmp_path, imprint=PRINTER)
    campaign = root / "programme" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("printing:\n", "printing:\n  stock:\n    ballot: offset 90 g\n", 1))
    programme, _ = read_programme(root / "programme")
    folder = tmp_path / "pack" / "official" / "ballot"
    folder.mkdir(parents=True)
    shutil.copyfile(ballot[0], folder / "ballot.pdf")
    ticket = job_ticket(Material("ballot", None, BALLOT), _output(ballot[0]), ballot[0].read_bytes(), programme, "b.pdf")
    (folder / "ticket.txt").write_text(ticket)
    found = [f for f in errors(check_pdf(folder / "ballot.pdf", BALLOT, programme)) if "ticket.txt" in f]
    assert found == ["ticket.txt: the paper « offset 90 g » is not of 70 to 80 g/m², the weight a ballot must have "
                     "(Code électoral R30); set it in campaign.yaml's printing.stock"]


# the real campaign


def test_the_real_campaign_makes_no_ballot_and_says_so_once(project):
    programme, _ = read_programme(project / "programme")
    assert not [m for m in plan_materials(programme) if m.kind == "ballot"]
    result = run_printkit("build", "ballots", cwd=project)
    said = (result.stdout + result.stderr).count("no ballot: programme/candidates.yaml gives no list of candidates")
    assert said == 1 and not (project / "output" / "official").exists()


# the posters


def trim_mm(path: Path) -> list[tuple[int, int]]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [(round((float(p.TrimBox[2]) - float(p.TrimBox[0])) / 72 * 25.4),
                 round((float(p.TrimBox[3]) - float(p.TrimBox[1])) / 72 * 25.4)) for p in pdf.pages]


@pytest.fixture(scope="module")
def posters(tmp_path_factory) -> dict:
    root = fictional(tmp_path_factory.mktemp("posters"))
    return {name: built(root, which, name) for which, name in (("posters", POSTER), ("meeting-posters", MEETING))}


def test_the_posters_pass_the_check_at_r26_s_sizes(posters):
    assert [errors(found) for _, found in posters.values()] == [[], []]
    assert trim_mm(posters[POSTER][0]) == [(594, 841)]
    assert trim_mm(posters[MEETING][0]) == [(297, 420), (297, 420)]  # a page per meeting


def test_a_meeting_poster_gives_its_meeting_the_speakers_and_the_list_s_name(posters):
    text = " ".join(pdf_text(posters[MEETING][0]).split())
    assert "Jeudi 12 février 2026" in text and "19 h 30" in text and "Salle des fêtes" in text
    assert "Maëlle Dantec-Rousseau" in text and "Karim Benali" in text and "Val-Fleuri solidaire" in text
    assert "Une ville à vivre" not in text and "Gymnase des Prés" in text


def test_a_white_poster_is_an_error(tmp_path):
    css = builtin("poster/poster.css") + "\n@page { background: device-cmyk(0 0 0 0); }\n.poster { color: var(--ink); }\n"
    _, findings = built(fictional(tmp_path), "posters", POSTER, {"poster/poster.css": css})
    assert [what for what in errors(findings) if "white" in what] == [
        "the poster is white: posters are never on white paper, which is kept for the authorities' notices "
        "(Code électoral L48; loi du 29 juillet 1881, art. 15)"]


def test_a_meeting_poster_with_a_slogan_is_an_error(tmp_path):
    html = builtin("meeting-poster/meeting-poster.html").replace(
        '<div class="meeting-when">', '<p class="meeting-place">{{ programme.identity.slogan }}</p><div class="meeting-when">')
    _, findings = built(fictional(tmp_path), "meeting-posters", MEETING, {"meeting-poster/meeting-poster.html": html})
    said = "the meeting poster prints more than its meeting's date and place, its speakers and the list's name"
    assert [(f.page, f.what) for f in findings if f.what.startswith(said)] == [
        (1, f"{said}: « une ville vivre » (Code électoral R26)"), (2, f"{said}: « une ville vivre » (Code électoral R26)")]  # « à » is the imprint's


def test_a_poster_larger_than_r26_allows_is_an_error(tmp_path):
    css = builtin("poster/poster.css") + "\n@page { size: 600mm 850mm; }\n"
    _, findings = built(fictional(tmp_path), "posters", POSTER, {"poster/poster.css": css})
    assert "the poster is 600 × 850 mm: R26 allows at most 594 × 841 mm (594 mm wide, 841 mm high)" in errors(findings)


def test_the_poster_s_ticket_says_it_goes_up_by_the_thursday_before_the_first_round(posters, tmp_path):
    root = fictional(tmp_path, imprint=PRINTER)
    programme, _ = read_programme(root / "programme")
    path = posters[POSTER][0]
    ticket = job_ticket(Material("poster", None, POSTER), _output(path), path.read_bytes(), programme, "p.pdf")
    assert "à coller au plus tard le jeudi 12 mars 2026, et pour le second tour le vendredi 20 mars 2026" in ticket
    assert "(Code électoral R26)" in ticket  # the rounds: Sunday 15 and 22 March
    folder = tmp_path / "pack" / "official" / "poster"
    folder.mkdir(parents=True)
    shutil.copyfile(path, folder / "poster.pdf")
    (folder / "ticket.txt").write_text(ticket.replace("jeudi 12 mars 2026", "samedi 14 mars 2026"))
    found = [f for f in errors(check_pdf(folder / "poster.pdf", POSTER, programme)) if "ticket.txt" in f]
    assert len(found) == 1 and "not the date the law sets" in found[0] and "jeudi 12 mars 2026" in found[0]


def test_the_real_campaign_makes_its_poster_but_no_meeting_poster_without_meetings(project):
    result = run_printkit("build", "posters", cwd=project)
    assert result.returncode == 0, result.stderr
    assert trim_mm(project / "output" / POSTER) == [(594, 841)]
    result = run_printkit("build", "meeting-posters", cwd=project)
    assert (result.stdout + result.stderr).count("no meeting poster: identity.yaml lists no meeting") == 1


def test_only_a_french_campaign_makes_the_official_material(tmp_path):
    programme, _ = read_programme(fictional(tmp_path) / "programme")
    american = dataclasses.replace(programme, campaign=dataclasses.replace(programme.campaign, jurisdiction="us"))
    assert {m.kind for m in plan_materials(programme)} >= {"ballot", "poster", "meeting-poster"}
    assert not {m.kind for m in plan_materials(american)} & {"poster", "meeting-poster", "circular"}


# the circulaire

CIRCULAR = "official/circular.pdf"


@pytest.fixture(scope="module")
def circular(tmp_path_factory) -> tuple[Path, list]:
    return built(fictional(tmp_path_factory.mktemp("circular")), "circulars", CIRCULAR)


def test_the_circulaire_is_one_a4_sheet_with_the_list_its_measures_and_its_candidates(circular):
    path, findings = circular
    assert errors(findings) == [] and trim_mm(path) == [(210, 297), (210, 297)]
    text = " ".join(pdf_text(path).split())
    for said in ("Val-Fleuri solidaire", "Une ville à vivre", "Liste conduite par Maëlle Dantec-Rousseau",
                 "Des mesures pour commencer", "Planter des arbres", "Nos 2 garanties", "Notre liste", "Hélène Kowalczyk",
                 "(polonaise)", "Ne pas jeter sur la voie publique"):
        assert said in text, said


def test_a_circulaire_over_a4_is_an_error(tmp_path):
    css = builtin("circular/circular.css") + "\n@page { size: 220mm 310mm; }\n"
    _, findings = built(fictional(tmp_path), "circulars", CIRCULAR, {"circular/circular.css": css})
    assert "page 1 of the circulaire is 220 × 310 mm: R29 allows 210 × 297 mm at most (Code électoral R29)" \
           in errors(findings)


def test_a_circulaire_of_more_than_one_sheet_is_an_error(circular, tmp_path):
    import pikepdf

    three = tmp_path / "circular.pdf"
    with pikepdf.open(circular[0]) as pdf:
        pdf.pages.append(pdf.pages[1])
        pdf.save(three)
    programme, _ = read_programme(fictional(tmp_path / "project") / "programme")
    assert "the circulaire has 3 pages: it is one sheet, two sides at most (Code électoral R29)" in errors(
        check_pdf(three, CIRCULAR, programme))


def test_a_circulaire_with_a_blue_beside_its_red_is_an_error(tmp_path):
    css = builtin("circular/circular.css") + "\n.circular-title { color: device-cmyk(1 0.6 0 0); }\n"
    _, findings = built(fictional(tmp_path), "circulars", CIRCULAR, {"circular/circular.css": css})
    assert "the circular paints a blue and a red: with the paper's white, the national colours, which R27 forbids " \
           "on posters and circulaires (Code électoral R27)" in errors(findings)


def test_an_edit_of_the_list_rebuilds_the_ballot_and_the_circulaire_only(tmp_path):
    from printkit.pipeline.cache import shown_data_hash

    root = fictional(tmp_path)
    before, _ = read_programme(root / "programme")
    listed = root / "programme" / "candidates.yaml"
    listed.write_text(listed.read_text().replace("Bastien, last_name: Roche", "Bastien, last_name: Rocher"))
    after, _ = read_programme(root / "programme")
    changed = {m.kind for m in plan_materials(after) if shown_data_hash(m, before) != shown_data_hash(m, after)}
    assert changed == {"ballot", "circular"}


def test_a_meeting_before_the_official_campaign_opens_is_a_warning_at_its_line(tmp_path):
    """The fictional list's first meeting, Thursday 12 February, comes before the campaign opens on
    Monday 2 March (R26: the second Monday before the first round, 15 March); its second, 5 March, does not."""
    _, warnings = read_programme(fictional(tmp_path) / "programme")
    early = [w for w in warnings if "official campaign opens" in w.message]
    assert [w.message.split(" comes")[0] for w in early] == ["the meeting of Thursday 12 February 2026"]
    assert "(Monday 2 March 2026)" in early[0].message
    assert early[0].where.file.endswith("identity.yaml") and early[0].where.line == 4  # its « - date: » line


# the commission de propagande's deadlines (R38, R34; L241)

COMMISSION = ("à remettre au président de la commission de propagande avant la date limite que fixe l'arrêté "
              "préfectoral pour chaque tour (Code électoral R38 ; dates à demander à la préfecture), avant l'envoi aux "
              "électeurs par la commission, au plus tard le mercredi 11 mars 2026 pour le premier tour et le jeudi "
              "19 mars 2026 pour le second (R34)")


def _commission_ticket(path: Path, kind: str, output: str, root: Path) -> tuple[str, object]:
    programme, _ = read_programme(root / "programme")
    return job_ticket(Material(kind, None, output), _output(path), path.read_bytes(), programme, "f.pdf"), programme


@pytest.mark.parametrize("kind, output", [("ballot", BALLOT), ("circular", CIRCULAR)])
def test_the_ballot_and_circulaire_tickets_name_the_commission_and_its_mailing_days(kind, output, ballot, circular,
                                                                                    tmp_path):
    """Rounds on Sunday 15 and 22 March 2026: the commission mails by Wednesday 11 and Thursday 19 March."""
    path = {"ballot": ballot, "circular": circular}[kind][0]
    ticket, _ = _commission_ticket(path, kind, output, fictional(tmp_path, imprint=PRINTER, population=3000))
    assert COMMISSION in " ".join(ticket.split())


def test_below_2500_inhabitants_there_is_no_commission_and_the_ticket_says_the_usual_day(ballot, tmp_path):
    ticket, _ = _commission_ticket(ballot[0], "ballot", BALLOT, fictional(tmp_path, imprint=PRINTER))  # 1,200
    said = " ".join(ticket.split())
    assert "président de la commission" not in said and "au plus tard le vendredi 13 mars 2026" in said  # L241; L49


def test_a_circulaire_ticket_without_the_commissions_deadline_is_an_error(circular, tmp_path):
    ticket, programme = _commission_ticket(circular[0], "circular", CIRCULAR,
                                           fictional(tmp_path, imprint=PRINTER, population=3000))
    folder = tmp_path / "pack" / "official" / "circular"
    folder.mkdir(parents=True)
    shutil.copyfile(circular[0], folder / "circular.pdf")
    (folder / "ticket.txt").write_text(ticket.replace("jeudi 19 mars 2026", "vendredi 20 mars 2026"))
    found = [f for f in errors(check_pdf(folder / "circular.pdf", CIRCULAR, programme)) if "ticket.txt" in f]
    assert len(found) == 1 and "not the date the law sets" in found[0] and "jeudi 19 mars 2026" in found[0]


# the accessible circulaire for the State's candidates' site

ACCESSIBLE = "official/circular-accessible.pdf"


def test_the_circulaire_has_a_tagged_screen_copy_beside_it_that_the_check_passes(circular, tmp_path):
    import pikepdf

    path = circular[0].parent / "circular-accessible.pdf"
    assert path.is_file()
    with pikepdf.open(path) as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1" and "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "fr-FR" and str(pdf.docinfo.Title).startswith("Val-Fleuri solidaire")
        assert "/OutputIntents" not in pdf.Root  # for the screen: no CMYK printing condition
        assert [[round(float(v)) for v in page.MediaBox] for page in pdf.pages] == [[0, 0, 595, 842]] * 2  # no bleed
    assert path.stat().st_size < 2_000_000
    programme, _ = read_programme(fictional(tmp_path) / "programme")
    assert errors(check_pdf(path, ACCESSIBLE, programme)) == []
    assert pdf_text(path).split() == pdf_text(circular[0]).split()  # the same words as the printed one


def _altered_copy(circular, tmp_path, change) -> list[str]:
    import pikepdf

    altered = tmp_path / "circular-accessible.pdf"
    with pikepdf.open(circular[0].parent / "circular-accessible.pdf") as pdf:
        change(pdf)
        pdf.save(altered)
    programme, _ = read_programme(fictional(tmp_path / "project") / "programme")
    return errors(check_pdf(altered, ACCESSIBLE, programme))


def test_an_accessible_circulaire_over_the_sites_2_mb_is_an_error(circular, tmp_path):
    import os

    def padded(pdf):  # a heavy photo, as a campaign might leave one: 2 MB that do not compress
        pdf.Root.PieceInfo = pdf.make_stream(os.urandom(2_100_000))

    found = [e for e in _altered_copy(circular, tmp_path, padded) if "MB" in e]
    assert len(found) == 1 and found[0].startswith("the file is 2.1 MB: the State's candidates' site takes a PDF "
                                                   "under 2 MB")


def test_an_untagged_accessible_circulaire_is_an_error(circular, tmp_path):
    def untagged(pdf):
        del pdf.Root.StructTreeRoot
        del pdf.Root.Lang

    found = _altered_copy(circular, tmp_path, untagged)
    assert "the accessible copy is not tagged (no structure tree)" in found
    assert "the accessible copy states no language (/Lang)" in found


# the campaign poster tiled on A3 for a copy shop

TILES = "official/sheets/a3-tiles/poster.pdf"


def _tiles_of(poster: Path) -> Path:
    return poster.parent / "sheets" / "a3-tiles" / "poster.pdf"


def test_the_campaign_poster_is_tiled_on_a3_sheets_that_the_check_passes(posters, tmp_path):
    import pikepdf

    tiles = _tiles_of(posters[POSTER][0])
    with pikepdf.open(tiles) as pdf:  # 600 × 847 mm with its bleed: 2 columns and 4 rows of A3 landscape
        assert [[round(float(v) / 72 * 25.4) for v in page.MediaBox] for page in pdf.pages] == [[0, 0, 420, 297]] * 8
    text = " ".join(pdf_text(tiles).split())
    assert "feuille A1 (colonne A, rangée 1)" in text and "feuille B4 (colonne B, rangée 4)" in text
    assert "affiche 594 × 841 mm en 8 feuilles A3 (2 × 4), recouvrement 10 mm" in text
    programme, _ = read_programme(fictional(tmp_path) / "programme")
    assert errors(check_pdf(tiles, TILES, programme)) == []


def _tile_errors(tiles: Path, tmp_path: Path, change) -> list[str]:
    import pikepdf

    altered = tmp_path / "poster.pdf"
    with pikepdf.open(tiles) as pdf:
        change(pdf)
        pdf.save(altered)
    programme, _ = read_programme(fictional(tmp_path / "project") / "programme")
    return errors(check_pdf(altered, TILES, programme))


def test_a_missing_tile_is_an_error(posters, tmp_path):
    def without_the_third(pdf):
        del pdf.pages[2]

    found = [e for e in _tile_errors(_tiles_of(posters[POSTER][0]), tmp_path, without_the_third) if "no tile" in e]
    assert len(found) == 1 and "the assembled poster has a hole" in found[0]


def test_a_tile_not_at_the_poster_s_size_is_an_error(posters, tmp_path):
    def shrunk(pdf):
        page = pdf.pages[0]
        page.obj.Contents = pdf.make_stream(page.obj.Contents.read_bytes().replace(
            b"q 1.0000 0.0000 0.0000 1.0000", b"q 0.9000 0.0000 0.0000 0.9000", 1))

    assert "sheet 1 draws the poster at 90 %, not 100 %: the tiles would not meet" in _tile_errors(
        _tiles_of(posters[POSTER][0]), tmp_path, shrunk)


def test_tiles_that_do_not_overlap_are_an_error(tmp_path, monkeypatch):
    from printkit.prepress import impose

    monkeypatch.setattr(impose, "OVERLAP", 0)  # tiles that only meet: nothing to glue
    poster, _ = built(fictional(tmp_path), "posters", POSTER)
    programme, _ = read_programme(tmp_path / "programme")
    found = [e for e in errors(check_pdf(_tiles_of(poster), TILES, programme)) if "overlap" in e]
    assert found and found[0].startswith("tiles overlap by less than 10 mm at ")
