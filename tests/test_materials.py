"""End to end on the real programme: geometry, page counts, content and QR codes of every PDF."""

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import yaml

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.products.booklet import chapters as booklet_chapters
from printkit.programme.loader import read_programme
from printkit.render.qr import QrCodes, qr_png
from printkit.units import PT_PER_MM

from conftest import ROOT, run_printkit, write_yaml
from pdfcheck import (boxes_mm, chars_boxes_mm, chars_fonts, chars_sizes_pt, image_count, line_lengths_mm, qr_codes, squeezed, text,
                      text_under_images, unembedded_fonts, words_box_mm, words_boxes_mm)

BLEED = 3.0
EXPORT = json.loads(run_printkit("export", "--json", check=True).stdout)
THEMES = [t["slug"] for t in EXPORT["themes"]]
PROGRAMME_URL = EXPORT["campaign"]["programme_url"]


def theme_url(slug: str) -> str:
    return next(t["url"] for t in EXPORT["themes"] if t["slug"] == slug)


def all_pdfs(out):
    return sorted(out.glob("*.pdf")) + sorted(out.glob("leaflets/*.pdf")) + sorted(out.glob("cards/**/*.pdf"))


def test_every_file_is_built(real_build):
    names = {str(p.relative_to(real_build)) for p in all_pdfs(real_build)}
    expected = {"booklet.pdf", "booklet-imposed-a4.pdf", "booklet-imposed-sra3.pdf", "cards/programme.pdf"}
    expected |= {f"leaflets/{slug}.pdf" for slug in THEMES} | {f"cards/{slug}.pdf" for slug in THEMES}
    expected |= {f"cards/sheets/{size}/{card}.pdf" for size in ("sra3", "a4") for card in THEMES + ["programme"]}
    assert names == expected
    assert (real_build / "html" / "booklet.html").is_file()
    assert (real_build / "html" / "leaflets" / "ecologie.html").is_file()


def test_booklet_geometry_and_page_count(real_build):
    pages = boxes_mm(real_build / "booklet.pdf")
    assert len(pages) % 4 == 0 and len(pages) >= 24
    for page in pages:
        assert page["TrimBox"] == (148.0, 210.0)
        assert page["BleedBox"] == (148 + 2 * BLEED, 210 + 2 * BLEED)
        trim, bleed = page["raw"]["TrimBox"], page["raw"]["BleedBox"]
        assert bleed[0] < trim[0] and bleed[2] > trim[2]


def test_cards_and_leaflets_geometry(real_build):
    for slug in THEMES + ["programme"]:
        pages = boxes_mm(real_build / "cards" / f"{slug}.pdf")
        assert [p["TrimBox"] for p in pages] == [(105.0, 148.0)] * 2
        assert all(p["BleedBox"] == (111.0, 154.0) for p in pages)
    for slug in THEMES:
        pages = boxes_mm(real_build / "leaflets" / f"{slug}.pdf")
        trims = {p["TrimBox"] for p in pages}
        assert trims in ({(148.0, 210.0)}, {(297.0, 210.0)}), (slug, trims)
        assert len(pages) in (2, 4, 8, 12)
        for page in pages:
            width, height = page["TrimBox"]
            assert page["BleedBox"] == (width + 2 * BLEED, height + 2 * BLEED)


def test_trifold_inner_panel_is_narrower(real_build_run):
    out, summary = real_build_run
    slug = trifolds(out)[0]
    assert "A4 tri-fold" in next(line for line in summary.splitlines() if f"│ leaflets/{slug}.pdf " in line)
    html = (out / "html" / "leaflets" / f"{slug}.html").read_text()
    assert "format-trifold" in html
    assert "--panel-width: 100mm; --panel-fold-in-width: 97mm;" in html  # the fold-in panel: pages 4 and 5
    css = (BUILTIN_LAYOUTS / "leaflet" / "leaflet.css").read_text()
    assert "@page trifold:nth(4) { size: var(--panel-fold-in-width) var(--page-height); }" in css


def test_imposed_files(real_build):
    booklet = len(boxes_mm(real_build / "booklet.pdf"))
    imposed = boxes_mm(real_build / "booklet-imposed-a4.pdf")
    assert len(imposed) == booklet // 2
    assert all(p["MediaBox"] == (297.0, 210.0) for p in imposed)
    # two spreads a side: 36 pages are nine sheets of the booklet, on five of SRA3 (portrait)
    sra3 = 2 * -(-booklet // 8)
    assert [p["MediaBox"] for p in boxes_mm(real_build / "booklet-imposed-sra3.pdf")] == [(320.0, 450.0)] * sra3
    for card in THEMES + ["programme"]:
        assert [p["MediaBox"] for p in boxes_mm(real_build / "cards" / "sheets" / "sra3" / f"{card}.pdf")] == [(450.0, 320.0)] * 2
        assert [p["MediaBox"] for p in boxes_mm(real_build / "cards" / "sheets" / "a4" / f"{card}.pdf")] == [(297.0, 210.0)] * 2


def test_every_measure_title_is_in_the_booklet(real_build):
    body = squeezed(text(real_build / "booklet.pdf"))
    missing = [m["number"] for m in EXPORT["measures"] if squeezed(m["title"]) not in body]
    assert missing == []
    assert all(squeezed(g) in body for g in EXPORT["guarantees"])


def test_booklet_thumb_tab_marks_stay_inside_the_safe_zone(real_build):
    """What a thumb tab holds, its words turned to read along the edge or its pictogram, lies in
    the strip the tab runs into the page, where no other text stands (the text's margins are 13
    and 16 mm): each glyph's box, as drawn in the PDF, lies inside the trim less the campaign's
    safe margin, which the safe-zone check cannot see of a turned glyph."""
    import yaml

    from conftest import ROOT

    safe = yaml.safe_load((ROOT / "programme" / "campaign.yaml").read_text())["printing"]["safe_mm"] * 72 / 25.4
    strip = 12 * 72 / 25.4
    document = pdfium.PdfDocument(real_build / "booklet.pdf")
    tabbed = 0
    for index in range(len(document)):
        page = document[index]
        left, bottom, right, top = page.get_trimbox()
        chars = page.get_textpage()
        boxes = [chars.get_charbox(i) for i in range(chars.count_chars()) if not chars.get_text_range(i, 1).isspace()]
        marks = [box for box in boxes if box[2] < left + strip or box[0] > right - strip]
        tabbed += bool(marks)
        for x0, y0, x1, y1 in marks:
            assert left + safe <= x0 and x1 <= right - safe and bottom + safe <= y0 and y1 <= top - safe, \
                f"page {index + 1}: a tab's mark at {x0:.0f}-{x1:.0f} x {y0:.0f}-{y1:.0f} pt, safe zone {left + safe:.0f}-{right - safe:.0f} x {bottom + safe:.0f}-{top - safe:.0f}"
    assert tabbed >= 25  # every page of measures has its tab


def test_a_one_line_section_title_stands_on_its_first_measure_as_a_longer_one_does(real_build):
    """« Des communes productives » (one line, no code beside it) stood 6 mm further above its
    measure 37 than « Soutenir et développer l'agriculture biologique / et locale » above its 38
    (as found with the rule switched off): the heading laid out as a row sized its words for two lines."""
    booklet = real_build / "booklet.pdf"
    pages = [squeezed(page.get_textpage().get_text_range()) for page in pdfium.PdfDocument(booklet)]

    def gap(title: str, last: str, measure: str) -> float:
        page = next(i for i, text in enumerate(pages) if squeezed(title) in text and squeezed(measure) in text)
        top = min(box[1] for box in words_boxes_mm(booklet, page, measure))  # its title, above its details
        return top - max(box[3] for box in words_boxes_mm(booklet, page, last) if box[3] <= top)

    one = gap("Des communes productives", "Des communes", "Créer des espaces de publics")  # no descender, as « et locale »
    two = gap("Soutenir et développer", "et locale", "Sécurité sociale alimentaire")
    assert abs(one - two) < 0.5, (one, two)


def test_the_booklet_contents_run_on_under_their_heading_again(real_build):
    """Clamart's contents run on to page 3, where they stood with no heading (as found with the
    rule switched off): it reads « Sommaire (suite) », as the flagships do where they run on."""
    pages = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(real_build / "booklet.pdf")]
    assert "Sommaire" in pages[1] and "Sommaire (suite)" not in pages[1]
    assert "Sommaire (suite)" in pages[2] and "Émanciper par la culture" in pages[2]


def test_booklet_qr_codes_decode_to_every_chapter(real_build):
    # One code per chapter, to its theme's page, as its leaflet and card print it (issue 21: 104
    # codes, then 37, one a section, outweighed the numbers), each once; the programme's on the
    # back cover alone (how to act after the index gave it too, a page before: review 36), never
    # on the front.
    pages = qr_codes(real_build / "booklet.pdf")
    decoded = [url for page in pages for url in page]
    chapters = {slug for slug in booklet_chapters(read_programme(ROOT / "programme")[0]) if slug}
    assert sorted(url for url in decoded if url != PROGRAMME_URL) == sorted(theme_url(slug) for slug in chapters)
    assert len(decoded) == sum(image_count(real_build / "booklet.pdf"))
    assert pages[0] == () and [index for index, page in enumerate(pages) if PROGRAMME_URL in page] == [len(pages) - 1]


def test_the_booklet_s_closing_after_its_index_gives_the_ways_to_act(real_build):
    """Clamart's index leaves room on its last page for how to act: one sentence and the code the
    back cover gives again (review 36: « Agir avec nous » with no way to act). It gives the ways
    and the site."""
    document = pdfium.PdfDocument(real_build / "booklet.pdf")
    page = squeezed(document[len(document) - 2].get_textpage().get_text_range())
    assert all(squeezed(words) in page for words in ("Agir avec nous", "Rejoignez l'équipe.",
                                                      "Faites circuler ce document.", "www.clamartagauche.fr")), page


@pytest.mark.parametrize("slug", THEMES)
def test_leaflet_holds_exactly_its_theme(real_build, slug):
    """Every measure of the theme, and of the others only the one each leads with, where the list of
    themes quotes it; no measure with a code of its own: one code, the closing's, to the theme's
    page, in every format."""
    path = real_build / "leaflets" / f"{slug}.pdf"
    pages = qr_codes(path)
    decoded = [url for page in pages for url in page]
    assert len(decoded) == sum(image_count(path)), "every QR code image decodes"
    assert decoded == [theme_url(slug)], "one code, to the theme's page"
    body = squeezed(text(path))
    html = (real_build / "html" / "leaflets" / f"{slug}.html").read_text()
    leads = squeezed(unescape(" ".join(re.findall(r'<span class="theme-lead">(.*?)</span>', html))))
    titles = [m["title"] for m in EXPORT["measures"]]
    for measure in EXPORT["measures"]:
        if titles.count(measure["title"]) == 1:  # 9 and 25 share a title; their QR codes tell them apart
            quoted = slug not in measure["themes"] and squeezed(measure["title"]) in leads
            assert (squeezed(measure["title"]) in body) == (slug in measure["themes"] or quoted), measure["number"]


def test_a_leaflet_lists_its_theme_s_own_measures_first_then_the_shared_under_a_heading(real_build):
    """A canvasser reads a theme's own measures first, by number; those it shares with another theme
    follow, by number, under « Aussi dans ce thème » (a heading only where there are both)."""
    for slug in THEMES:
        html = (real_build / "html" / "leaflets" / f"{slug}.html").read_text()
        listed = [int(n) for n in re.findall(r'<article class="measure[^"]*" id="mesure-(\d+)"', html)]
        own = [m["number"] for m in EXPORT["measures"] if m["themes"][0] == slug]
        shared = [m["number"] for m in EXPORT["measures"] if slug in m["themes"][1:]]
        assert listed == sorted(own) + sorted(shared), slug
        heading = html.find('class="measures-also"')
        assert (heading >= 0) == bool(own and shared), slug
        if heading >= 0:
            assert html.rindex(f'id="mesure-{max(own)}"', 0, heading) and html.index(f'id="mesure-{min(shared)}"') > heading


@pytest.mark.parametrize("slug", THEMES + ["programme"])
def test_card_qr_and_titles(real_build, slug):
    path = real_build / "cards" / f"{slug}.pdf"
    codes = qr_codes(path)
    assert codes == ((), (PROGRAMME_URL if slug == "programme" else theme_url(slug),))
    back = squeezed(text(path).split("\f")[-1] if "\f" in text(path) else text(path))
    if slug != "programme":
        shown = {m["number"] for m in EXPORT["measures"] if slug in m["themes"] and squeezed(m["title"]) in back}
        assert shown, "the back lists at least one title"
        count = sum(slug in m["themes"] for m in EXPORT["measures"])
        # the measure the front quotes (maybe by its lead phrase), which a longer theme's back leaves out
        html = (real_build / "html" / "cards" / f"{slug}.html").read_text()
        shown |= {int(re.search(r'class="card-flagship-number"[^>]*>(\d+)<', html).group(1))}
        if len(shown) < count:
            assert f"dont{count - len(shown)}absente" in back  # of the theme's measures the code opens
        else:  # every title fits: the back says how to vote when away too
            assert squeezed("Absent ce jour-là ?") in back, slug


def test_the_general_card_quotes_a_measure_no_theme_card_quotes(real_build):
    """Clamart chose no priority: its general card quoted measure 1, as its enfance card does, and
    two cards in one hand led with one measure (issue 21, defect 6; as found with the rule switched
    off). Its front quotes a measure no theme's card quotes, and its back still lists the guarantees."""
    def quoted(slug: str) -> int:
        html = (real_build / "html" / "cards" / f"{slug}.html").read_text()
        return int(re.search(r'class="card-flagship-number"[^>]*>(\d+)<', html).group(1))
    assert quoted("programme") not in {quoted(slug) for slug in THEMES}
    assert squeezed("Nos 9 garanties") in squeezed(text(real_build / "cards" / "programme.pdf"))


@pytest.mark.parametrize("size, copies", [("sra3", 5), ("a4", 2)])
def test_card_sheet_qr_codes(real_build, size, copies):
    for card in THEMES + ["programme"]:
        front, back = qr_codes(real_build / "cards" / "sheets" / size / f"{card}.pdf")
        assert front == () and back == ((PROGRAMME_URL if card == "programme" else theme_url(card)),) * copies


def test_every_qr_code_has_its_caption_directly_under_it(real_build):
    # A page break between a code and its caption leaves a bare code at the foot of a page and a
    # lone « DÉTAILS EN LIGNE » at the head of the next. Imposed sheets turn pages, so they are left out.
    # A card's call to action stands beside its code, the first words of the line right of it, and
    # so does a leaflet's with only the site beside the code (Clamart gives no contact).
    pages = [path for path in all_pdfs(real_build) if "sheets" not in path.parts and "imposed" not in path.name]
    codes = [(path.relative_to(real_build), page, below) for path in pages
             for page, below in text_under_images(path, beside_mm=6 if {"cards", "leaflets"} & set(path.parts) else 0)]
    assert len(codes) > 30  # the booklet's 14 (a chapter's, how to act's, the back's), a leaflet's one, a card's one
    assert [(path, page) for path, page, below in codes if not below] == []


def test_all_fonts_embedded(real_build):
    for path in all_pdfs(real_build):
        assert unembedded_fonts(path) == [], path


def test_qr_images_are_greyscale_and_sharp(real_build):
    with pikepdf.open(real_build / "booklet.pdf") as pdf:
        images = [x for page in pdf.pages for x in page.obj.Resources.get("/XObject", {}).values()
                  if x.get("/Subtype") == "/Image"]
    assert images and all(i.ColorSpace == "/DeviceGray" and i.Interpolate is False for i in images)


def test_proof_mark_while_printer_unknown(real_build):
    for path in all_pdfs(real_build):
        assert "ÉPREUVE" in text(path), path


@pytest.mark.parametrize("variant, version", [("x-4", "PDF/X-4"), ("x-1a", "PDF/X-1a:2003")])
def test_pdfx_variants_carry_an_output_intent(tmp_path, variant, version):
    run_printkit("build", "cards", "--theme", "sport", "--pdfx", variant, "--out", str(tmp_path), check=True)
    for path in (tmp_path / "cards" / "sport.pdf", tmp_path / "cards" / "sheets" / "sra3" / "sport.pdf"):
        with pikepdf.open(path) as pdf:
            [intent] = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFX"
            assert len(intent.DestOutputProfile.read_bytes()) > 1000
            assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == version
            assert all("/TrimBox" in page.obj for page in pdf.pages)


def test_crop_marks_stand_outside_the_bleed_in_black_ink_only(small, tmp_path):
    result = run_printkit("build", "cards", "--theme", "sport", "--marks", "--out", str(tmp_path), cwd=small)
    assert result.returncode == 0, result.stderr
    for page in boxes_mm(tmp_path / "cards" / "sport.pdf"):
        assert page["TrimBox"] == (105.0, 148.0) and page["BleedBox"] == (111.0, 154.0)
        assert page["MediaBox"] == (129.0, 172.0)
    with pikepdf.open(tmp_path / "cards" / "sport.pdf") as pdf:
        content = b"".join(s.read_bytes() for s in pdf.pages[0].obj.Contents) if isinstance(
            pdf.pages[0].obj.Contents, pikepdf.Array) else pdf.pages[0].obj.Contents.read_bytes()
    assert b"0 0 0 1 K 0.25 w" in content and b"0 0 0 RG" not in content


def test_booklet_is_filled_to_a_multiple_of_4_with_designed_pages(small_build):
    document = pdfium.PdfDocument(small_build / "booklet.pdf")
    assert len(document) % 4 == 0
    words = [len(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    assert min(words) >= 5, f"a page with almost no text: {words}"


def test_qr_codes_are_kept_between_builds(tmp_path):
    url = "https://www.clamartagauche.fr/Programme#mesure-1"
    assert QrCodes(tmp_path).png(url) == qr_png(url)
    [kept] = tmp_path.glob("*.png")
    kept.write_bytes(b"kept")
    assert QrCodes(tmp_path).png(url) == b"kept"  # read back, not drawn again
    assert QrCodes(tmp_path).png(url + "-2") == qr_png(url + "-2")


def trifolds(out) -> list[str]:
    return [slug for slug in THEMES if boxes_mm(out / "leaflets" / f"{slug}.pdf")[0]["TrimBox"] == (297.0, 210.0)]


def test_trifold_architecture_measures_inside_only(real_build):
    """Outside (flap, back, cover): no measure, and the leaflet's one code, the theme's, on the back;
    inside: every measure of the theme, and no code."""
    assert trifolds(real_build), "the real programme has tri-folds"
    for slug in trifolds(real_build):
        outside, inside = qr_codes(real_build / "leaflets" / f"{slug}.pdf")
        assert list(outside) == [theme_url(slug)] and list(inside) == [], slug
        html = (real_build / "html" / "leaflets" / f"{slug}.html").read_text()
        assert html.index("leaflet-flap") > html.rindex('id="mesure-'), "the flap comes after the measures"


def test_trifold_cover_colour_runs_on_to_every_bleed_edge(real_build):
    slug = trifolds(real_build)[0]
    page = pdfium.PdfDocument(real_build / "leaflets" / f"{slug}.pdf")[0]
    image = page.render(scale=2, crop=(0, 0, 0, 0), may_draw_forms=True).to_pil().convert("RGB")
    width, height = image.size
    x = int(width * 0.85)  # the cover, right third of the outside
    for y in (1, height // 2, height - 2):  # top bleed, middle, bottom bleed edge
        assert image.getpixel((x, y)) != (255, 255, 255), (slug, y)


def test_the_booklet_s_end_never_repeats_the_back_cover_s_vote(real_build):
    """The back cover gives the dates and how to give a procuration: no designed page before it does."""
    document = pdfium.PdfDocument(real_build / "booklet.pdf")
    pages = [squeezed(document[i].get_textpage().get_text_range()) for i in range(len(document))]
    away = squeezed("Absent ce jour-là ?")
    assert [i + 1 for i, page in enumerate(pages) if away in page] == [len(pages)]


def test_a_booklet_measure_is_numbered_in_its_section_s_colour_and_labelled_with_its_other_themes(real_build):
    """The section's theme is its thumb tab's colour and its numbers': a label of it under each of its
    measures would repeat the tab; a measure's other themes are labelled."""
    html = (real_build / "html" / "booklet.html").read_text()
    sections = re.findall(r'<section class="section theme-([\w-]+)(?: opens-chapter)?">(.*?)</section>', html, re.S)
    assert len(sections) > 30
    for slug, body in sections:
        articles = re.findall(r'<article class="measure[^"]* theme-([\w-]+)" id="(mesure-\d+)"(.*?)</article>', body, re.S)
        assert {theme for theme, _, _ in articles} == {slug}, slug
        assert [identity for _, identity, article in articles if f'class="chip theme-{slug}"' in article] == [], slug
    assert html.count('class="chip theme-') > 10  # the other themes are labelled


def test_a_leaflets_list_of_themes_prints_every_theme(real_build):
    """The themes a leaflet lists, spread over a page or a panel, are all printed: a list taller
    than its page is clipped, not carried over, so a theme would be lost without a word."""
    labels = [squeezed(t["label"]) for t in EXPORT["themes"]]
    listing = [slug for slug in THEMES
               if "filler-themes" in (real_build / "html" / "leaflets" / f"{slug}.html").read_text()]
    assert listing, "some leaflet lists the themes"
    for slug in listing:
        printed = squeezed(text(real_build / "leaflets" / f"{slug}.pdf"))
        assert [label for label in labels if label not in printed] == [], slug


def test_the_real_build_lays_out_without_a_weasyprint_warning(real_build_run):
    """WeasyPrint ignores a rule it cannot read (a calc() with an unset custom property) and only
    warns: the build would then print what the designer did not mean."""
    _, summary = real_build_run
    assert "WeasyPrint:" not in summary


def booklet_holes(build_output: str) -> dict[int, float]:
    """The booklet pages the build's check found an empty band in, with its share of the live height."""
    found = re.findall(r"│ booklet\.pdf\s*│ (\d+)\s*│ an empty band of ([\d.]+)%", build_output)
    return {int(page): float(share) for page, share in found}


def test_no_booklet_page_holds_a_hole(real_build_run):
    """No page of the real booklet holds an empty band over the limit (checks/holes.py): a measure of
    several details runs on to the next page rather than jump whole (Clamart's 17, 23, 26, 33…),
    a page that still would end in a hole shares it out above its measures, the contents take a
    spread and the closing after the index fills its page (pages 2, 11, 15, 19, 24, 25, 28, 37–39 once)."""
    assert booklet_holes(real_build_run[1]) == {}


def test_no_leaflet_page_of_the_real_programme_holds_a_hole(real_build_run):
    """No page or panel of the real leaflets holds an empty band over the limit: where a cut measure
    fills one page but leaves the last page of measures in a band (services publics: measure 34
    cut, then 28 % under 104, whole pages of guarantees and themes after), the measures stay whole."""
    found = re.findall(r"│ (leaflets/[\w-]+\.pdf)\s*│ (\d+)\s*│ an empty band of ([\d.]+)%", real_build_run[1])
    assert found == []


@pytest.mark.parametrize("slug, page", [("sante", 1), ("sport", 1), ("culture", 1), ("enfance", 3)])
def test_a_leaflet_s_call_to_vote_stands_a_fixed_gap_over_its_dates(real_build, slug, page):
    """Clamart's santé and sport flyers close on a back cover, its culture flyer under measures, its
    enfance 4-page on a back page: the call to vote, set large, stands 5 mm over the panels (the
    first round's tile), the colour's room above it, as a closing's call stands on every piece. Centred between the wordmark and the panels, it
    stood from 2 to 30 mm over the dates from one piece to the next (29.5 mm on santé's back, as
    found with the rule switched off)."""
    leaflet = real_build / "leaflets" / f"{slug}.pdf"
    top = words_box_mm(leaflet, page, "Votez et faites voter")[1]
    foot = min(box[3] for box in words_boxes_mm(leaflet, page, "gauche") if box[1] > top)  # its last line's foot
    panels = words_box_mm(leaflet, page, "premier tour")[1]
    assert 8 < panels - foot < 12, (foot, panels)  # 10.2 mm: 5 mm between the boxes, the line's descent, the tile's padding


@pytest.mark.parametrize("slug", ["culture", "vivre-ensemble"])
def test_a_closing_grown_under_measures_sets_its_call_to_vote_large(real_build, slug):
    """Clamart's culture flyer and vivre-ensemble 4-page close under measures on their last page, a
    field of colour grown by more than 15 mm to its foot: the call to vote leaves the panels for
    the field as its sign, grown to 24 pt or more (30 pt here). At 12 pt over the tiles it left a
    band of colour under the wordmark; without the sign, the call that leads to the wordmark is
    set at 17 pt at most (as found with the rule switched off)."""
    leaflet = real_build / "leaflets" / f"{slug}.pdf"
    assert min(chars_sizes_pt(leaflet, len(pdfium.PdfDocument(leaflet)) - 1, "Votez et faites voter")) > 23.5


def test_a_leaflet_measure_continued_carries_its_number_as_large_as_its_head(real_build):
    """Clamart's services publics runs measure 89 on from page 4 to page 5: its number there, over
    « (suite) », is as large as over its head, where it was a heading's size (as found with the rule
    switched off): a reader turning the page finds the measure by its number, as by every other."""
    leaflet = real_build / "leaflets" / "services-publics.pdf"
    head, rest = (chars_boxes_mm(leaflet, page, "89")[0] for page in (3, 4))
    assert "(suite)" in pdfium.PdfDocument(leaflet)[4].get_textpage().get_text_range()
    assert abs((rest[3] - rest[1]) - (head[3] - head[1])) < 0.2, (head, rest)


def test_shared_measures_carried_on_head_their_page_or_panel_above_designed_content(real_build):
    """Clamart's services publics carries measure 89 on to page 5, over its guarantees, and its
    oppressions tri-fold carries its shared measures on to the third inside panel, over how to act:
    each heads itself « Aussi dans ce thème », which the designed content under them took away (as
    found with the rule switched off). On a page the head reads as the heading it repeats, a size
    down, where a label of 7 pt capitals in black read as another style; the tri-fold's panel keeps
    the label. The tri-fold stays one: its proof banner goes to the panels' foot and its panels'
    top margin holds the head on a tight line, clear of the safe zone by more than a millimetre
    (5.6 mm below the trim on the page's line, 6.7 mm on its own). A page's proof banner goes to its
    foot too: at the head, it stood 0.5 mm over the running head."""
    services = real_build / "leaflets" / "services-publics.pdf"
    heads = words_boxes_mm(services, 4, "Aussi dans ce thème", match_case=True)
    assert [box for box in heads if box[1] < 15], heads  # in the top margin: 12 mm and the bleed
    # the proof's banner at the page's foot, under its live area (216 mm less the bleed and 13 mm), not
    # 0.5 mm over the head
    assert words_box_mm(services, 4, "É P R E U V E")[1] > 200  # letter-spaced: pdfium reads a space between
    assert min(chars_sizes_pt(services, 4, "Aussi dans ce thème")) >= 9.5
    trifold = real_build / "leaflets" / "oppressions.pdf"
    inside = pdfium.PdfDocument(trifold)[1]
    width, height = inside.get_width() * 25.4 / 72, inside.get_height() * 25.4 / 72
    assert width > height  # a tri-fold's sheet
    heads = words_boxes_mm(trifold, 1, "AUSSI DANS CE THÈME", match_case=True)
    # the third panel's top margin, its letters 6 mm or more below the trim (the bleed's 3 mm above it)
    assert [box for box in heads if 9 <= box[1] < 13 and box[0] > 2 * width / 3], heads


def test_a_code_with_only_the_site_beside_it_has_its_call_to_action_there(real_build):
    """Clamart gives no contact nor meetings: beside the santé flyer's code stood its site alone, and
    its call to action ran in three lines of 7 pt under the code. The call stands over the site, in
    its column, at reading size; with the rule switched off, it stands over the code and the site,
    across the panel, as it does beside contacts."""
    leaflet = real_build / "leaflets" / "sante.pdf"
    call, site = words_box_mm(leaflet, 1, "Scannez"), words_box_mm(leaflet, 1, "www.clamartagauche.fr")
    assert abs(call[0] - site[0]) < 0.5 and call[3] < site[1], (call, site)
    assert call[3] - call[1] > 2.1, call  # a capital of 9.5 pt, as every call to scan; of 7 pt, 1.7 mm


def test_a_tri_fold_back_panel_sets_its_call_to_scan_beside_the_code_and_the_site_under_them(real_build):
    """Démocratie's back panel: the call to scan beside the code, the site under both across the white
    panel. Code over call over site, in one narrow column (as found with the rule switched off), left
    two thirds of the panel empty beside them (reviews 33 and 34)."""
    leaflet = real_build / "leaflets" / "democratie.pdf"
    call, site = words_box_mm(leaflet, 0, "Scannez"), words_box_mm(leaflet, 0, "www.clamartagauche.fr")
    assert call[0] - site[0] > 20, (call, site)  # the code's width (20.5 mm at least) and its gap, left of the call
    assert site[1] > call[3], (call, site)


def test_a_leaflet_page_after_the_cover_is_headed_with_its_theme(real_build):
    """Enfance's pages 2 and 3 and écologie's pages 2 to 7 carry the theme's short name in the top
    margin, where pages opened cold on measure 8 or 87 (review 35; as found with the rule switched
    off); never a cover, nor a back cover of colour."""
    for name, theme, inside in (("enfance", "Enfance", (1, 2)), ("ecologie", "Écologie", tuple(range(1, 7)))):
        leaflet = real_build / "leaflets" / f"{name}.pdf"
        headed = [page for page in range(len(pdfium.PdfDocument(leaflet)))
                  if [box for box in words_boxes_mm(leaflet, page, theme, match_case=True) if box[1] < 15]]
        assert tuple(headed) == inside, (name, headed)


def test_a_card_back_sets_its_titles_bold_on_their_lead_phrase_only(real_build):
    """The sport card's back lists « Créer des garderies ludico-sportives dans les équipements… »:
    the lead phrase bold, the rest in the text's weight, as the booklet and leaflets set a title.
    All of it stood in one semibold (as found with the rule switched off), a list with no hierarchy."""
    card = real_build / "cards" / "sport.pdf"
    assert set(chars_fonts(card, 1, "Créer des garderies ludico-sportives")) == {"Inter-Bold"}
    assert set(chars_fonts(card, 1, "dans les équipements sportifs")) == {"Inter"}  # the regular face


def test_a_leaflet_proof_s_banner_stands_at_every_page_s_foot_and_the_check_reads_past_it(tmp_path):
    """Écologie laid out as eight pages of a proof: the banner is each page's foot margin box, its
    covers' too, not the head's, which holds the running head of shared measures; and the layout
    check reads past it there. With either rule switched off, a cover's banner stood at the head,
    or the check took the foot's for text outside the safe zone (and the build failed)."""
    from printkit.checks.layout import layout_findings
    from printkit.pipeline.make import render_context
    from printkit.pipeline.plan import BuildRequest
    from printkit.products import Material
    from printkit.programme.loader import load_programme
    from printkit.render.weasy import page_box

    programme = load_programme(ROOT / "programme")
    context = render_context(BuildRequest(ROOT, tmp_path / "out"), programme)
    _, document = context.render(Material("leaflet", "ecologie", "leaflets/ecologie.pdf"), format="pages",
                                 cover_page=True, closing_page=True)
    banners = [[box.at_keyword for box in page_box(page).children
                if getattr(box, "at_keyword", None) in ("@top-center", "@bottom-center")] for page in document.pages]
    assert banners == [["@bottom-center"]] * len(document.pages) and len(banners) > 4, banners
    findings = layout_findings(document, "ecologie", programme.campaign.printing.safe_mm)
    assert not [finding for finding in findings if "ÉPREUVE" in finding.what], findings


def test_an_eight_page_leaflet_numbers_its_pages_in_their_outer_corner(real_build):
    """Écologie's eight pages: « 2 / 8 » stands in its left page's left corner and « 3 / 8 » in its
    right page's right corner, away from the spine, where every folio stood in the right corner (as
    found with the rule switched off). Its proof banner stands at the foot of every page, its
    covers' too: one place on the whole piece (the rule's test is the one before)."""
    leaflet = real_build / "leaflets" / "ecologie.pdf"
    document = pdfium.PdfDocument(leaflet)
    middle = document[0].get_width() / PT_PER_MM / 2
    assert words_box_mm(leaflet, 1, "2 / 8")[2] < middle < words_box_mm(leaflet, 2, "3 / 8")[0]
    assert all(words_box_mm(leaflet, page, "É P R E U V E")[1] > 200 for page in range(len(document)))


def test_a_card_sets_numbers_of_three_figures_at_every_number_s_size(real_build):
    """The services-publics card's back lists measures 103 and 104 among 5 and 10: at 15 pt, as every
    number, tracked tight. At 12 pt (as found with the rule switched off) they read as another face."""
    card = real_build / "cards" / "services-publics.pdf"
    assert min(chars_sizes_pt(card, 1, "104")) > 14.5


@pytest.mark.parametrize("theme", ["vivre-ensemble", "culture"])
def test_a_call_to_vote_grows_to_fill_its_field_under_measures(real_build, theme):
    """Where the closing's field of colour grows under the measures of the back page, the call to
    vote is set at 30 pt or more, not at 17 pt under 20 to 30 mm of bare colour (as found with
    the rule switched off)."""
    leaflet = real_build / "leaflets" / f"{theme}.pdf"
    last = len(pdfium.PdfDocument(leaflet)) - 1
    assert words_box_mm(leaflet, last, "Rajouter une scène")  # measure 72 shares the page with it
    assert min(chars_sizes_pt(leaflet, last, "Votez et faites voter")) >= 29.5


def test_every_real_leaflet_and_card_calls_to_vote_with_the_days_and_procuration(real_build_run):
    """The build's check warns of a leaflet without the call to vote, both days and how to vote
    when away, and of a card without the days (checks/vote.py): the real build has no such warning."""
    assert re.findall(r"│ ((?:leaflets|cards)/[\w-]+\.pdf)\s*│[^│]*│ (no call to vote|no word of how to vote|the vote's day)",
                      real_build_run[1]) == []


def test_a_booklet_measure_continued_carries_its_number_and_suite(real_build):
    """A page that opens inside a measure opens with that measure's number and « (suite) »: never a
    measure split without its number, never its tags alone (they stay with its last detail)."""
    pages = json.loads((real_build / ".printkit" / "page-map.json").read_text())["pages"]
    pdf = pdfium.PdfDocument(real_build / "booklet.pdf")
    continued = [(index, page["measures"][0]) for index, page in enumerate(pages) if page["measures"] and not page["start"]
                 and page["measures"][0] in pages[index - 1]["measures"]]
    assert len(continued) >= 3  # the real programme's long measures: 23, 34, 59
    for index, measure in continued:
        # the number, then « (suite) » under it: a one-line detail beside the number reads between them
        marks = re.findall(r"(\d+)\s+(?:.*\n)?\(suite\)", pdf[index].get_textpage().get_text_range())
        assert marks == [measure.removeprefix("mesure-")], (index + 1, marks)
    html = (real_build / "html" / "booklet.html").read_text()
    assert sorted(re.findall(r'id="suite-(\d+)"', html)) == sorted(m.removeprefix("mesure-") for _, m in continued)


def test_booklet_running_head_reads_one_measure_in_the_singular(real_build):
    """« Mesure 104 », not « Mesures 104 » nor « Mesures 104 à 104 », on a page one measure holds alone."""
    pages = json.loads((real_build / ".printkit" / "page-map.json").read_text())["pages"]
    pdf = pdfium.PdfDocument(real_build / "booklet.pdf")
    heads = [head for i in range(len(pdf)) for head in re.findall(r"MESURES? \d+(?: À \d+)?", pdf[i].get_textpage().get_text_range())]
    alone = [page["measures"][0].removeprefix("mesure-") for page in pages if len(page["measures"]) == 1]
    assert [number for number in alone if f"MESURE {number}" not in heads] == [], heads
    assert not [head for head in heads if re.fullmatch(r"MESURES (\d+)(?: À \1)?", head)], heads


def test_the_booklet_index_opening_its_page_has_no_running_head_over_its_title(real_build):
    """Clamart's index opens page 30 under its title, which a running head « INDEX PAR THÈME » said
    once more just above it (review 34; as found with the rule switched off); page 31, where the
    index runs on, reads the head."""
    pdf = pdfium.PdfDocument(real_build / "booklet.pdf")
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    first = next(i for i, page in enumerate(pages) if "Chaque mesure, avec la page" in page)
    assert "INDEX PAR THÈME" in pages[first + 1]
    assert "INDEX PAR THÈME" not in pages[first] and not re.search(r"MESURES? \d", pages[first]), pages[first]


def test_booklet_numbers_of_three_figures_stand_clear_of_their_text(real_build):
    """« 102 » beside « Se réapproprier… », « 101 (suite) » beside its detail: at least 2.5 mm between
    a measure number's last figure and the nearest text to its right on its line, as printed (two
    figures leave 4 mm or more; three at the same size left 1.6 mm). They are set nearly as large
    as two, their figures some 90 % as tall: at 18 pt, beside 22, « 100 » read as set in another face
    (some 80 %, as found with the rule switched off)."""
    document = pdfium.PdfDocument(real_build / "booklet.pdf")
    gaps, heights = [], {2: [], 3: []}
    for index in range(len(document)):
        page = document[index].get_textpage()
        text = page.get_text_range()
        boxes = [page.get_charbox(i) for i in range(len(text))]
        for found in re.finditer(r"(?<!\d)(?:1\d\d|[1-9]\d)(?![\d\s\u202f\u00a0]*%)", text):  # not « 100 % bio »
            last = boxes[found.end() - 1]
            if last[3] - last[1] < 11.5:  # a running head's or a title's figures, not a measure's number
                continue
            heights[len(found.group())].append(last[3] - last[1])
            right = [box[0] for box in boxes if box[0] > last[2] - 0.5 and box[1] < last[3] and box[3] > last[1]
                     and box[2] > box[0]]
            if len(found.group()) == 3:
                gaps.append(round((min(right) - last[2]) / PT_PER_MM, 1))
    assert len(gaps) >= 5 and min(gaps) >= 2.5, gaps
    assert heights[2] and heights[3], heights
    assert min(heights[3]) > 0.87 * sorted(heights[2])[len(heights[2]) // 2], heights  # the median: not the dates' tiles



@pytest.mark.parametrize("card, first, last", [("logement", "Soutenir", "tous"), ("sante", "Assurer", "tous")])
def test_a_card_s_headline_breaks_in_lines_of_even_length(real_build, card, first, last):
    """Clamart's logement card broke its headline « Soutenir l'accès à un / logement / digne pour
    tous », and its santé card « Assurer l'accès aux / soins pour / toutes et tous »: a line of one
    or two words between two long ones. The headline is set narrower, its three lines even."""
    path = real_build / "cards" / f"{card}.pdf"
    lines = line_lengths_mm(path, 0, first, last)
    assert len(lines) == 3 and min(lines) >= 0.8 * max(lines), lines


def test_a_tri_fold_s_inside_panels_end_at_one_foot(real_build):
    """Clamart's oppressions tri-fold ended its middle inside panel 13 mm above the two beside it, and
    its last, which ends on the list of themes, 16 mm above (as found with each rule switched off):
    its measures share the panel's room as air, as a page's do, the list spreads over it, and the
    three panels end within 5 mm of one another."""
    feet = _panel_feet_mm(real_build / "leaflets" / "oppressions.pdf")
    assert max(feet) - min(feet) < 5, feet


def test_a_page_that_ends_on_a_designed_part_a_little_short_spreads_it_to_its_foot(real_build):
    """Clamart's enfance 4-page ends its page 3 on the guarantees, which stopped 32 mm above the
    trim's foot (review 37, and as found with the rule switched off): under the check's 20 %, a
    hole all the same beside pages of measures that reach their foot. The list spreads over the
    page, item under item, as a tri-fold panel's does, and ends 13 mm above the trim."""
    leaflet = real_build / "leaflets" / "enfance.pdf"
    last = words_boxes_mm(leaflet, 2, "pour la paix")[-1]  # the last guarantee's last words
    assert pdfium.PdfDocument(leaflet)[2].get_height() * 25.4 / 72 - last[3] < 24, last


def test_a_tri_fold_panel_of_measures_that_ends_short_shares_its_room_as_air(tmp_path):
    """Clamart's oppressions with measure 95 a detail shorter: its first inside panel, measures
    only, ended 12 mm above the last (as found with the rule switched off; the real programme's
    panels end level without air since its tags sit tight). Its measures share the room as air,
    and the three panels end within 5 mm of one another."""
    shutil.copytree(ROOT / "programme", tmp_path / "programme")
    path = tmp_path / "programme" / "measures.yaml"
    sections = yaml.safe_load(path.read_text())
    measure = next(m for section in sections for m in section["measures"] if m["number"] == 95)
    measure["details"] = measure["details"][:-1]
    write_yaml(path, sections)
    result = run_printkit("build", "leaflets", "--theme", "oppressions", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    feet = _panel_feet_mm(tmp_path / "output" / "leaflets" / "oppressions.pdf")
    assert max(feet) - min(feet) < 5, feet


def _panel_feet_mm(path: Path) -> list[float]:
    """Where each inside panel's last character ends, in mm from the top of a tri-fold's inside,
    above the foot's proof banner."""
    page = pdfium.PdfDocument(path)[1]
    chars, trim = page.get_textpage(), page.get_trimbox()
    third, feet = (trim[2] - trim[0]) / 3, [trim[3]] * 3
    for index in range(chars.count_chars()):
        left, bottom, _, _ = chars.get_charbox(index)
        if bottom > trim[1] + 13 * PT_PER_MM and not chars.get_text_range(index, 1).isspace():
            panel = min(2, int((left - trim[0]) // third))
            feet[panel] = min(feet[panel], bottom)
    return [round((trim[3] - foot) / PT_PER_MM, 1) for foot in feet]


def test_a_tri_fold_panel_that_ends_on_its_online_note_shares_its_room_as_air(real_build):
    """Clamart's démocratie ends its last inside panel with where its measures are online, a note
    under them: the measures over it took no air, and the panel ended 170 mm down (as found with
    the rule switched off), where oppressions' panels end at 190 mm; with air over them, 182 mm.
    Since its tags sit tight, the panel without the air ends in a hole, and the theme gives way to
    four pages (as found with the rule switched off): it stays a tri-fold."""
    leaflet = real_build / "leaflets" / "democratie.pdf"
    assert len(pdfium.PdfDocument(leaflet)) == 2 and _panel_feet_mm(leaflet)[2] >= 176


@pytest.mark.parametrize("leaflet, page, number", [("sante", 0, "30"), ("democratie", 1, "11")])
def test_the_measure_under_also_in_this_theme_keeps_to_its_heading(real_build, leaflet, page, number):
    """The measures a page or panel shares its room with as air take it over their numbers; the one
    under « Aussi dans ce thème » keeps to its heading, which takes the air over it instead: santé's
    30 stood 6 mm under it (as found with the rule switched off)."""
    path = real_build / "leaflets" / f"{leaflet}.pdf"
    heading = words_box_mm(path, page, "Aussi dans ce thème")
    first = next(box for box in words_boxes_mm(path, page, number) if box[0] > heading[0] - 1 and box[1] > heading[3])
    assert first[1] - heading[3] < 4, (heading, first)


def test_a_tri_fold_panel_that_also_in_this_theme_opens_starts_level_with_the_others(real_build):
    """Démocratie's last inside panel opens on « Aussi dans ce thème »: the air its first measure would
    take over the heading is not taken there, and the heading's words stand 2.5 mm under the middle
    panel's first title (its rule and padding over them), where they stood 8.5 mm under it (as found
    with the rule switched off)."""
    path = real_build / "leaflets" / "democratie.pdf"
    heading, first = words_box_mm(path, 1, "Aussi dans ce thème"), words_box_mm(path, 1, "Mettre en place des conseils")
    assert abs(heading[1] - first[1]) < 4, (heading, first)


def test_a_tri_fold_s_inside_opens_on_its_theme_where_its_first_panel_has_room(real_build):
    """Clamart's démocratie opened its inside on measure 43's number, with no word of its theme, over
    panels ending 27 to 37 mm short (review 38, and as found with the rule switched off). Its first
    panel opens on the theme's name over its count, level with the other panels' first lines;
    measure 43 follows, still on that panel. Oppressions, whose first panel is full, opens on its
    first measure as it did."""
    path = real_build / "leaflets" / "democratie.pdf"
    name, count = words_box_mm(path, 1, "Démocratie"), words_box_mm(path, 1, "8\xa0mesures pour Clamart")
    first, middle = words_box_mm(path, 1, "Partager le pouvoir"), words_box_mm(path, 1, "Mettre en place des conseils")
    assert name[3] < count[1] and count[3] < first[1] and first[0] < 99, (name, count, first)
    assert abs(name[1] - middle[1]) < 4, (name, middle)
    assert "mesures pour Clamart" not in pdfium.PdfDocument(real_build / "leaflets" / "oppressions.pdf")[1].get_textpage().get_text_range()
