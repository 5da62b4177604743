"""The printer's package, and the quantities and papers of campaign.yaml that its job tickets use."""

import hashlib
import json
import shutil

import pikepdf
import pytest

from printkit.errors import PrintkitError
from printkit.pipeline.plan import BuildRequest

from conftest import run_printkit
from pdfcheck import squeezed
from pdfcheck import text as pdfcheck_text

CAMPAIGN = "programme/campaign.yaml"


def edit_campaign(project, edit) -> None:
    """Change campaign.yaml as a volunteer would, keeping its comments and line numbers."""
    path = project / CAMPAIGN
    path.write_text(edit(path.read_text()))


def edit(project, name: str, change) -> None:
    """Change one of the project's files as a volunteer would."""
    path = project / name
    path.write_text(change(path.read_text()))


def with_quantities(lines: str):
    return lambda text: text.replace("\ntracking:\n", f"\ntracking:\nquantities:\n{lines}", 1)


ORDINAL = "ordinal « 1ER »: set it as 1er (in small letters, or spelled out)"


def _product_folders(pack):
    """Each product's folder in a pack: at its top, and the official pieces' under official/."""
    return sorted(folder for folder in [*pack.iterdir(), *(pack / "official").iterdir()] if folder.name != "official")


def test_pack_holds_each_product_with_ticket_report_and_checksums(packed):
    folders = sorted(p.name for p in (packed / "pack").iterdir())
    assert folders == ["booklet", "cards-ecologie", "cards-programme", "cards-sport", "leaflets-ecologie",
                       "leaflets-sport", "official"]
    # no list, no meeting: no ballot, no meeting poster
    assert sorted(p.name for p in (packed / "pack" / "official").iterdir()) == ["circular", "poster"]
    for folder in _product_folders(packed / "pack"):
        files = sorted(p.name for p in folder.iterdir())
        accessible = ["circular-accessible.pdf"] if folder.name == "circular" else []  # the State's site's copy
        assert files == sorted(["SHA256SUMS", "preflight.txt", "ticket.txt", f"{folder.name}.pdf", *accessible])
        sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
        assert sorted(sums) == sorted(set(files) - {"SHA256SUMS"})
        for name, digest in sums.items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        with pikepdf.open(folder / f"{folder.name}.pdf") as pdf:  # PDF/X-4 by default once a printer is named
            assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
            assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"


def test_each_preflight_report_holds_at_least_what_printkit_check_finds_in_its_file(packed):
    result = run_printkit("check", "--json", str(packed / "output"), cwd=packed)
    findings = json.loads(result.stdout)
    # the general card quotes the sport measure that holds the ordinal: its theme's card quotes the other
    assert {f["file"] for f in findings if f["what"] == ORDINAL} == {"booklet.pdf", "leaflets/sport.pdf",
                                                                     "cards/sport.pdf", "cards/programme.pdf",
                                                                     "official/circular.pdf",
                                                                     "official/circular-accessible.pdf"}
    for folder in _product_folders(packed / "pack"):
        name = folder.name.replace("-", "/", 1) + ".pdf" if folder.name != "booklet" else "booklet.pdf"
        name = f"official/{name}" if folder.parent.name == "official" else name
        # The build's report also holds its layout-time findings, which a bare PDF cannot show.
        report = (folder / "preflight.txt").read_text().splitlines()
        own = [f"{f['level']}: page {f['page'] or '-'}: {f['what']}" for f in findings if f["file"] == name]
        assert [line for line in own if line not in report] == [], name


def test_job_tickets_give_size_pages_paper_finishing_and_quantity(packed):
    booklet = (packed / "pack" / "booklet" / "ticket.txt").read_text()
    assert "148 × 210 mm" in booklet and "piqûre à cheval" in booklet and "500 exemplaires" in booklet
    with pikepdf.open(packed / "pack" / "booklet" / "booklet.pdf") as pdf:
        assert f"{len(pdf.pages)} pages" in booklet
    card = (packed / "pack" / "cards-sport" / "ticket.txt").read_text()
    assert "105 × 148 mm" in card and "couché mat 400 g" in card and "2\u202f000 exemplaires" in card
    assert "à préciser" in (packed / "pack" / "cards-ecologie" / "ticket.txt").read_text()


def test_the_official_pieces_are_packed_together_and_pack_prints_their_folders(packed, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(packed, root)
    result = run_printkit("pack", cwd=root, check=True)
    printed = result.stdout.split()
    assert str(root / "pack" / "official" / "circular") in printed and str(root / "pack" / "booklet") in printed
    circular = root / "pack" / "official" / "circular"
    assert sorted(p.name for p in circular.iterdir()) == ["SHA256SUMS", "circular-accessible.pdf", "circular.pdf",
                                                          "preflight.txt", "ticket.txt"]
    report = (circular / "preflight.txt").read_text()
    assert "official/circular.pdf" in report and "official/circular-accessible.pdf" in report


def test_pack_refuses_to_replace_an_official_folder_holding_files_it_did_not_write(packed, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(packed, root)
    (root / "pack" / "official" / "notes.txt").write_text("mes notes")
    result = run_printkit("pack", cwd=root)
    assert result.returncode != 0 and "holds files that printkit pack did not write" in result.stderr
    assert (root / "pack" / "official" / "notes.txt").read_text() == "mes notes"


def test_job_tickets_say_when_to_deliver_before_the_electoral_silence(packed):
    """The first round is Sunday 15 March 2026: nothing may be handed out from Saturday 0:00 (L49)."""
    rows = dict(line.split(maxsplit=1) for line in (packed / "pack" / "booklet" / "ticket.txt").read_text().splitlines()
                if line.startswith("Livraison"))
    assert rows["Livraison"] == ("au plus tard le vendredi 13\u00a0mars\u00a02026 : la distribution cesse le samedi "
                                 "14\u00a0mars\u00a02026 à 0 h (Code électoral, L49) ; BAT à valider avant impression")


def test_job_tickets_name_the_product_and_the_printing_condition_in_the_campaigns_language(packed):
    card = (packed / "pack" / "cards-sport" / "ticket.txt").read_text()
    assert "Produit         carte A6, recto verso, thème « Promouvoir le sport populaire »" in card and "cards/sport" not in card
    assert "tout le programme" in (packed / "pack" / "cards-programme" / "ticket.txt").read_text()
    # the free default is named, and the printer asked for its own condition
    assert "Condition       Artifex CMYK SWOP Profile, le profil CMJN générique de Ghostscript (default_cmyk.icc)" in card


def test_pack_warns_once_of_missing_quantities_and_of_the_generic_profile(packed):
    from printkit.pipeline.pack import pack_warnings
    from printkit.programme.loader import read_programme

    quantities, profile = pack_warnings(read_programme(packed / "programme")[0])
    assert quantities == ("no quantity in campaign.yaml (quantities:) for 6 products, whose job tickets say it is "
                          "to be confirmed: leaflets/ecologie, leaflets/sport, cards/ecologie, cards/programme, "
                          "official/poster, official/circular")
    assert profile.startswith("the files are made for Ghostscript's generic CMYK profile (default_cmyk.icc")


def test_a_ticket_whose_sizes_differ_from_the_file_is_an_error(packed, tmp_path):
    from printkit.checks import check_pdf
    from printkit.programme.loader import read_programme

    programme = read_programme(packed / "programme")[0]
    folder = tmp_path / "cards-sport"
    shutil.copytree(packed / "pack" / "cards-sport", folder)
    pdf = folder / "cards-sport.pdf"
    def ticket_errors() -> list[str]:
        return [f.what for f in check_pdf(pdf, "cards/sport.pdf", programme) if "ticket.txt" in f.what]
    assert ticket_errors() == []
    ticket = folder / "ticket.txt"
    ticket.write_text(ticket.read_text().replace("105 × 148 mm", "105 × 150 mm"))
    assert ticket_errors() == ["ticket.txt: « Format fini » says « 105 × 150 mm (fond perdu 3 mm, TrimBox et BleedBox "
                               "dans le PDF) », but the file's TrimBox and format give « 105 × 148 mm (fond perdu 3 mm, "
                               "TrimBox et BleedBox dans le PDF) »"]


def test_a_ticket_without_a_quantity_is_a_warning(packed):
    from printkit.checks import check_pdf
    from printkit.programme.loader import read_programme

    programme = read_programme(packed / "programme")[0]
    def quantity_warnings(name: str) -> list[str]:
        pdf = packed / "pack" / name / f"{name}.pdf"
        return [f.what for f in check_pdf(pdf, f"{name.replace('-', '/', 1)}.pdf", programme)
                if f.level == "warning" and "quantity" in f.what]
    assert quantity_warnings("cards-sport") == []  # campaign.yaml gives it
    assert quantity_warnings("cards-ecologie") == ["ticket.txt: no quantity; give it in campaign.yaml (quantities:) "
                                                   "and pack again before sending: the printer can neither quote nor print"]


def test_a_roll_fold_whose_panels_do_not_fill_the_trim_is_an_error(packed, tmp_path):
    from printkit.checks import check_pdf
    from printkit.products import FileSubject
    from printkit.programme.loader import read_programme

    folder = tmp_path / "leaflets-sport"
    shutil.copytree(packed / "pack" / "cards-sport", folder)
    pdf = folder / "leaflets-sport.pdf"
    with pikepdf.open(folder / "cards-sport.pdf") as card:  # an A6 page, said to be an A4 tri-fold
        FileSubject("leaflet", "a4-trifold", "sport").write(card.docinfo)
        card.save(pdf)
    findings = check_pdf(pdf, "leaflets/sport.pdf", read_programme(packed / "programme")[0])
    assert "the a4-trifold panels add up to 297 mm, but the TrimBox is 105.0 mm wide: the folds would not fall " \
           "where the ticket says" in [f.what for f in findings if f.level == "error"]


def test_sheet_slug_says_how_many_times_to_print_it(packed):
    text = squeezed(pdfcheck_text(packed / "output" / "cards" / "sheets" / "sra3" / "sport.pdf"))
    assert "2000exemplaires:tirer400foiscefichier" in text  # 5 cards to a sheet


def test_pack_refuses_proofs(small):
    result = run_printkit("pack", cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "names no printer" in result.stderr
    assert not (small / "pack").exists()


def test_bad_quantities_are_located(project):
    edit_campaign(project, with_quantities("  booklet: beaucoup\n  cards/sport: -5\n  leaflets/nulle-part: 10\n"
                                           "  posters: 5\n  booklet: 3\n"))
    line = next(i for i, text in enumerate((project / CAMPAIGN).read_text().splitlines(), 1) if "beaucoup" in text)
    result = run_printkit("build", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"campaign.yaml:{line}:12: quantities.booklet must be a whole number, not 'beaucoup'" in result.stderr
    assert f"campaign.yaml:{line + 1}:16: quantities.cards/sport must be 0 or more, not -5" in result.stderr
    assert f"campaign.yaml:{line + 2}:3: quantity for 'leaflets/nulle-part'" in result.stderr
    assert f"campaign.yaml:{line + 3}:3: unknown key 'posters' in quantities (expected one of: booklet, " in result.stderr
    assert f"campaign.yaml:{line + 4}:3: key 'booklet' is repeated in quantities" in result.stderr
    assert not (project / "output").exists()


def _pack_digests(pack) -> dict:
    return {str(p.relative_to(pack)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(pack.rglob("*"))
            if p.is_file()}


def test_a_renamed_theme_leaves_the_pack_and_no_staging_is_left(packed, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(packed, root, ignore=shutil.ignore_patterns("pack"))
    run_printkit("pack", cwd=root, check=True)
    edit(root, "programme/themes.yaml", lambda text: text.replace("slug: sport", "slug: sports"))
    edit(root, CAMPAIGN, lambda text: text.replace("sport:", "sports:").replace("cards/sport:", "cards/sports:"))
    edit(root, "programme/measures.yaml", lambda text: text.replace("- sport", "- sports"))
    run_printkit("pack", cwd=root, check=True)
    folders = sorted(p.name for p in (root / "pack").iterdir())
    assert "cards-sports" in folders and "cards-sport" not in folders and "leaflets-sport" not in folders
    assert not [p for p in root.iterdir() if p.name.startswith(".pack.") and p.name.endswith(".part")]


def test_an_interrupted_pack_leaves_the_old_pack_whole(packed, tmp_path, monkeypatch):
    from printkit.pipeline import pack as packing

    root = tmp_path / "root"
    shutil.copytree(packed, root)
    before = _pack_digests(root / "pack")
    edit(root, "programme/programme.yaml", lambda text: text.replace("Petit programme", "Petit programme revu"))
    written = []

    def product_then_killed(*args):
        if written:
            raise KeyboardInterrupt  # as a kill would, after one product of the new pack
        written.append(real(*args))
        return written[-1]

    real = packing._product
    monkeypatch.setattr(packing, "_product", product_then_killed)
    with pytest.raises(KeyboardInterrupt):
        packing.pack(BuildRequest(root, root / "output", jobs=1), root / "pack")
    assert _pack_digests(root / "pack") == before  # never a mix of the old and the new
    assert not [p for p in root.iterdir() if p.name.endswith(".part")]


def test_pack_refuses_to_replace_a_folder_it_did_not_write(packed, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(packed, root, ignore=shutil.ignore_patterns("pack"))
    (root / "pack").mkdir()
    (root / "pack" / "notes.txt").write_text("mes notes")
    result = run_printkit("pack", cwd=root)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "holds files that printkit pack did not write" in result.stderr
    assert (root / "pack" / "notes.txt").read_text() == "mes notes"


def test_pack_refuses_a_file_that_no_longer_shows_the_programme(packed, tmp_path, monkeypatch):
    """The last look before the printer's: a file on disk made from an earlier programme is named and refused,
    even when the build says all is well."""
    from printkit.pipeline import build as scheduler
    from printkit.pipeline import pack as packing

    root = tmp_path / "root"
    shutil.copytree(packed, root)
    before = _pack_digests(root / "pack")
    report = scheduler.build(BuildRequest(root, root / "output", jobs=1))
    edit(root, "programme/programme.yaml", lambda text: text.replace("Petit programme", "Petit programme revu"))
    monkeypatch.setattr(packing, "build", lambda request: report)  # a build that believed its files current
    with pytest.raises(PrintkitError, match=r"booklet.pdf: stale: made from another version of the programme"):
        packing.pack(BuildRequest(root, root / "output", jobs=1), root / "pack")
    assert _pack_digests(root / "pack") == before
