"""Languages: every printed word from the catalogues, in the campaign's locale, with its typography."""

import ast
import datetime
import re
from pathlib import Path

import jinja2
import pikepdf
import pytest
from conftest import make_small, write_yaml
from pdfcheck import text
from test_golden import CASES, rendered
from weasyprint import HTML

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.messages import Messages, identifiers
from printkit.products import products
from printkit.programme.loader import load_programme
from printkit.render.typography import date_parts, long_date, paired_dates, short_date, typeset, unbroken_tail, weekday

SOURCE = Path(__file__).resolve().parent.parent / "src" / "printkit"
LOCALES = ("fr-FR", "en-US", "en-GB")


# (a) the catalogues hold every message printkit prints, and nothing else


def template_identifiers() -> set[str]:
    """The identifiers every built-in layout passes to ``_`` and ``plural``, read from the parsed
    templates: a use of either name that is not a call with a literal identifier fails, so that
    no call form goes unread."""
    environment = jinja2.Environment()
    found = set()
    for path in BUILTIN_LAYOUTS.rglob("*.html"):
        tree = environment.parse(path.read_text())
        calls = [c for c in tree.find_all(jinja2.nodes.Call)
                 if isinstance(c.node, jinja2.nodes.Name) and c.node.name in ("_", "plural")]
        names = [n for n in tree.find_all(jinja2.nodes.Name) if n.name in ("_", "plural")]
        assert len(names) == len(calls), f"{path}: _ or plural used other than as a call"
        for call in calls:
            assert isinstance(call.args[0], jinja2.nodes.Const), f"{path}:{call.lineno}: an identifier not a literal"
            found.add(call.args[0].value)
    return found


# The Python calls whose identifier is not a literal, and the identifiers each may name. A new
# form fails python_identifiers() until it is listed here.
def _declared() -> dict[str, set[str]]:
    kinds = products()
    formats = [f for kind in kinds for family in kind.formats.values() for f in family]
    return {
        "identifier": set(),  # render/html.py's wording(): the templates' own calls, read above
        "f'format.{self.name}'": {f"format.{f.name}" for f in formats},
        "self.fold": {f.fold for f in formats},
        "finished.binding": {f.binding for f in formats},
        "self.paper": {k.paper for k in kinds if k.paper},
        "material.product.pages_message": {k.pages_message for k in kinds},  # pipeline/pack.py: a ticket's pages
        "kind.paper": {k.paper for k in kinds if k.paper},  # programme/schema.py: the default paper shown
        "self.piece": {k.piece for k in kinds if k.piece},
        "kind.sheet_finishing": {k.sheet_finishing for k in kinds if k.sheets},
        "f'slug.edge.{layout.flip}'": {"slug.edge.long", "slug.edge.short"},
        "f'slug.{side}'": {"slug.front", "slug.back"},  # prepress/impose.py: a sheet side's label
    }


def python_identifiers() -> set[str]:
    """The identifiers printkit's Python passes to a ``Messages`` (always named ``messages``)."""
    declared, found = _declared(), set()
    for path in SOURCE.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text())):
            if not isinstance(call, ast.Call) or not _is_messages(call.func) or not call.args:
                continue
            argument = call.args[0]
            if isinstance(argument, ast.Constant):
                found.add(argument.value)
            else:
                form = ast.unparse(argument)
                assert form in declared, f"{path}:{call.lineno}: {form} is not declared"
                found |= declared[form]
    return found


def _is_messages(function) -> bool:
    if isinstance(function, ast.Attribute):
        return function.attr == "plural" and isinstance(function.value, ast.Name) and function.value.id == "messages"
    return isinstance(function, ast.Name) and function.id == "messages"


def test_the_extraction_reads_calls_from_templates_and_python():
    assert {"booklet.contents", "guarantees.count", "vote.days"} <= template_identifiers()
    assert {"ticket.title", "slug.front", "format.a6-card", "fold.roll_3", "paper.silk_135"} <= python_identifiers()


def test_every_message_printed_is_in_french_and_english_and_every_message_is_printed():
    used = template_identifiers() | python_identifiers()
    for locale in ("fr-FR", "en-US"):
        assert used - identifiers(locale) == set(), locale
        assert identifiers(locale) - used == set(), f"{locale}: messages nothing prints"
    for identifier in used:  # en-GB gives its own or en-US's
        assert wording("en-GB", identifier)


def test_en_gb_gives_only_what_differs_from_en_us():
    from printkit.messages import _catalogue

    own = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in _catalogue("en-GB") if m.id}
    assert own and all(wording("en-US", i) != wording("en-GB", i) for i in own)


def wording(locale: str, identifier: str) -> str:
    """A message's wording, or its plural wording for 2 when it is a plural message."""
    from printkit.errors import PrintkitError

    try:
        return Messages(locale)(identifier)
    except PrintkitError:
        return Messages(locale).plural(identifier, 2)


# (c) typography by locale


def test_a_caption_or_heading_never_ends_on_one_short_word():
    """Its last words, up to 15 characters, are joined by no-break spaces; never all of them."""
    from printkit.render.typography import unbroken_tail

    nbsp = "\u00a0"
    assert unbroken_tail("Scannez : les 11 mesures du thème s'ouvrent sur votre téléphone").endswith(
        f" sur votre{nbsp}téléphone")
    assert unbroken_tail("Scan: this issue's 11 measures open on your phone").endswith(f" open on{nbsp}your{nbsp}phone")
    assert unbroken_tail("pour toutes et tous") == f"pour toutes{nbsp}et{nbsp}tous"
    assert unbroken_tail("Santé") == "Santé" and unbroken_tail("Pour tous") == "Pour tous"


def test_a_call_keeps_its_last_clause_whole():
    """The words after a call's last comma are joined when they are 30 characters or fewer, so that
    it breaks at the comma; a clause too long, or a text with no comma, is left as it is."""
    from printkit.render.typography import unbroken_clause

    nbsp = "\u00a0"
    assert unbroken_clause("Vote Port Riverton Forward, and bring a friend to vote") == (
        f"Vote Port Riverton Forward, and{nbsp}bring{nbsp}a{nbsp}friend{nbsp}to{nbsp}vote")
    assert unbroken_clause("Votez et faites voter Clamart à gauche !") == "Votez et faites voter Clamart à gauche !"
    long = "Votez, et faites voter autour de vous toutes celles et tous ceux que vous connaissez"
    assert unbroken_clause(long) == long
    assert unbroken_clause("Votez, et faites voter vos voisines !") != "Votez, et faites voter vos voisines !"  # 30
    assert unbroken_clause("Votez, et faites bien voter vos amis !") == "Votez, et faites bien voter vos amis !"  # 31


def test_a_heading_never_ends_a_line_on_a_word_of_one_letter():
    """« à », « y », "a" go down with the word after them: Clamart's culture card broke its title
    « culture accessibles à / toutes et tous ! », the break issue 21 named."""
    from printkit.render.typography import unbroken_tail

    nbsp = "\u00a0"
    assert unbroken_tail("Rendre l'art et la culture accessibles à toutes et tous !") == \
        f"Rendre l'art et la culture accessibles à{nbsp}toutes et{nbsp}tous{nbsp}!"
    assert unbroken_tail("A plan for a city of parks and rivers") == f"A plan for a{nbsp}city of parks and{nbsp}rivers"
    # a capital or a figure is left to the locale's rules: « À l'écoute », « 3 000 »
    assert unbroken_tail("A l'écoute de tous les quartiers") == f"A l'écoute de tous les{nbsp}quartiers"
    assert unbroken_tail("Planter 3 000 arbres en six ans dans la ville").startswith("Planter 3 000 arbres")


def test_a_typeset_text_keeps_its_narrow_spaces_when_its_tail_is_joined():
    """The call to vote, typeset then joined at its tail: « gauche\u202f! » kept its narrow no-break
    space, where str.split took it for a space and joined the « ! » with a full one."""
    from printkit.render.typography import unbroken_tail

    assert str(unbroken_tail(typeset("Votez et faites voter Clamart à gauche !", "fr-FR"))) == \
        "Votez et faites voter Clamart à\u00a0gauche\u202f!"


def test_french_typography_sets_its_spaces():
    assert str(typeset("Absent ? « Oui » : 5 % d'abord", "fr-FR")) == \
        "Absent\u202f? «\u202fOui\u202f»\u00a0: 5\u202f% d’abord"
    assert str(typeset("la santé ... Autant, [...] la fin", "fr-FR")) == "la santé… Autant, […] la fin"
    assert str(typeset("A vous lire. A l'issue du débat, le plan A reste ; A4", "fr-FR")) == \
        "À vous lire. À l’issue du débat, le plan A reste\u202f; A4"


def test_french_typography_keeps_a_figure_with_the_word_it_counts():
    """The démocratie tri-fold broke « plus de 16 / ans » at its line's end: a figure keeps the
    word after it, and a run of figures (« 3 000 ») its narrow spaces."""
    assert str(typeset("plus de 16 ans, 3 000 logements, en 2026. Mesure 81, de 0 à 3 ans", "fr-FR")) == \
        "plus de 16\u00a0ans, 3\u202f000\u00a0logements, en 2026. Mesure 81, de 0 à 3\u00a0ans"
    assert str(typeset(unbroken_tail("Construire 3 000 logements"), "fr-FR")) == "Construire 3\u202f000\u00a0logements"


@pytest.mark.parametrize("locale", ["fr-FR", "en-US"])
def test_square_and_cubic_units_are_raised(locale):
    """Clamart's water measure reads « la gratuité des premiers m3 »: a unit's power is raised, where
    a name of a letter and a figure (« M3 », « A4 », « m30 ») stays as typed."""
    assert str(typeset("les premiers m3, des km2 et cm3; M3, A4, m30", locale)).startswith("les premiers m³, des km² et cm³")
    assert str(typeset("M3, A4, m30, gm2, clamart.fr/m2", locale)) == "M3, A4, m30, gm2, clamart.fr/m2"


@pytest.mark.parametrize("locale", ["fr-FR", "en-US"])
def test_a_compound_name_never_breaks_at_its_hyphen(locale):
    """« Un toit pour chacun à Val-/Fleuri », Val-Fleuri's housing flyer title, broke the town's
    name at its hyphen: a word joiner after a hyphen between capitalised parts keeps them on one
    line (Val-Fleuri, Saint-Denis), and a common compound or a lower-case part may still break."""
    joined = str(typeset("à Val-Fleuri-sur-Orge, Saint-Denis, Île-de-France, un co-working", locale))
    assert joined == "à Val-\u2060Fleuri-sur-Orge, Saint-\u2060Denis, Île-de-France, un co-working"


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_english_typography_curls_quotes_and_sets_no_space_before_punctuation(locale):
    assert str(typeset("Away ? Don't wait : 5 % say \"yes\" ; 'now' !", locale)) == \
        "Away? Don’t wait: 5% say “yes”; ‘now’!"
    assert str(typeset("« Green »", locale)) == "“Green”"
    assert str(typeset("from 6 a.m. to 9 P.M., at 20 mph", locale)) == "from 6\u00a0a.m. to 9\u00a0P.M., at 20\u00a0mph"


@pytest.mark.parametrize("locale", ["fr-FR", "en-US", "en-GB"])
def test_a_range_of_years_takes_an_en_dash_and_an_address_or_a_date_stays_as_typed(locale):
    assert str(typeset("pour 2032-2038, de 1998-2004", locale)) == "pour 2032\u20132038, de 1998\u20132004"
    for typed in ("example.org/2032-2038", "2026-03-15", "(555) 014-2032"):
        assert str(typeset(typed, locale)) == typed


def test_dates_are_spelled_by_babel_in_the_locale_and_the_weekday_is_computed():
    tuesday, first = datetime.date(2026, 11, 3), datetime.date(2026, 3, 1)
    assert long_date(tuesday, "en-US") == "November\u00a03,\u00a02026"
    assert long_date(tuesday, "en-GB") == "3\u00a0November\u00a02026"
    assert long_date(first, "fr-FR") == "1er\u00a0mars\u00a02026" and short_date(tuesday, "fr-FR") == "3\u00a0novembre"
    assert (weekday(tuesday, "en-US"), weekday(tuesday, "fr-FR")) == ("Tuesday", "mardi")


@pytest.mark.parametrize("locale, days, said", [
    ("fr-FR", (15, 22), ("15", "22\u00a0mars")), ("fr-FR", (1, 8), ("1er", "8\u00a0mars")),
    ("en-US", (15, 22), ("March\u00a015", "22")), ("en-GB", (15, 22), ("15", "22\u00a0March"))])
def test_two_rounds_in_one_month_name_it_once(locale, days, said):
    assert paired_dates(tuple(datetime.date(2026, 3, day) for day in days), locale) == said
    assert paired_dates((datetime.date(2026, 3, 29), datetime.date(2026, 4, 5)), "fr-FR") == ("29\u00a0mars",
                                                                                               "5\u00a0avril")


@pytest.mark.parametrize("locale, day, parts", [
    ("fr-FR", 15, ("", "15", "mars")), ("fr-FR", 1, ("", "1er", "mars")),
    ("en-US", 3, ("March", "3,", "")), ("en-GB", 3, ("", "3", "March"))])
def test_a_date_graphic_sets_the_month_where_the_locale_writes_it(locale, day, parts):
    assert date_parts(datetime.date(2026, 3, day), locale) == parts


# (e) the document's language, for hyphenation


@pytest.mark.parametrize("locale", LOCALES)
def test_every_document_declares_the_campaign_locale(tmp_path, locale):
    # a UK imprint names the promoter's address (docs/law.md)
    promoter = {"imprint": {"printer_name": "", "printer_address": "", "publisher": "A. Agent",
                            "publisher_address": "1 High Street, Fictionton"}}
    make_small(tmp_path, locale=locale, **(promoter if locale == "en-GB" else {}))
    for name in ("booklet.html", "card-sport.html", "leaflet-sport.html"):
        assert rendered(tmp_path, *CASES[name]).startswith(f'<!doctype html>\n<html lang="{locale}">'), name


def test_the_slug_pdf_declares_its_language():
    from printkit.render.pdf import slug_pdf

    data = slug_pdf(["A6 card · FRONT"], (100, 5), datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC), "en-US")
    with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == "en-US"


def test_english_is_hyphenated_with_the_english_dictionary():
    words = "internationalization " * 12
    hyphenated = HTML(string=f'<html lang="en-US"><p style="width: 25mm; hyphens: auto">{words}</p>').write_pdf()
    unknown = HTML(string=f'<html lang="xx"><p style="width: 25mm; hyphens: auto">{words}</p>').write_pdf()
    assert "\u2010" in _pdf_text(hyphenated) and "\u2010" not in _pdf_text(unknown)


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


# (b), (d) an English campaign's build prints no French


ENGLISH_THEMES = [{"slug": "ecologie", "label": "Make Springfield green", "short": "Green"},
                  {"slug": "sport", "label": "Sports for everyone"}]
ENGLISH_MEASURES = [
    {"section": "A greener city", "measures": [
        {"number": 1, "title": "Plant a tree on every street", "themes": ["ecologie"],
         "details": ["Starting downtown"]},
        {"number": 2, "title": "Open school gyms at night", "themes": ["sport", "ecologie"]},
    ]},
    {"section": "A livelier city", "measures": [
        {"number": 3, "title": "Hold a yearly sports day", "themes": ["sport"]},
    ]},
]
SITE = "https://www.springfieldforward.org"
ENGLISH_CAMPAIGN = {
    "locale": "en-US", "name": "Springfield Forward", "city": "Springfield", "election": "City Council Election",
    "rounds": ["2026-11-03"], "website": SITE,
    "urls": {"programme": f"{SITE}/platform", "measure": f"{SITE}/platform#measure-{{number}}",
             "theme": f"{SITE}/platform?issue={{slug}}"},
    "imprint": {"printer_name": "Acme Print", "printer_address": "1 Main Street, Springfield",
                "publisher": "Springfield Forward"},
    "messages": {"booklet.contents": "What's inside", "booklet.page": "page"},
}
# French words and marks none of an English campaign's pieces may print
FRENCH = ["«", "»", "Scannez", "mesure", "Sommaire", "votez", "Votez", "dimanche", "mardi", "tour", "programme",
          "Programme municipal", "garantie", "thème", "procuration", "exemplaires", "RECTO", "VERSO", "Détails",
          "papier", "feuille", "ÉPREUVE", "Objet"]
# The legal imprint is the jurisdiction's, made to follow it elsewhere (layouts/common/imprint.html):
# its French words are left out of what is read here.
IMPRINT = ("Imprimé par", "Éditeur :", "Ne pas jeter sur la voie publique")


@pytest.fixture(scope="module")
def english_build(tmp_path_factory) -> Path:
    from printkit.pipeline.build import build
    from printkit.pipeline.plan import BuildRequest

    root = make_small(tmp_path_factory.mktemp("english"), **ENGLISH_CAMPAIGN)
    folder = root / "programme"
    write_yaml(folder / "themes.yaml", ENGLISH_THEMES)
    write_yaml(folder / "measures.yaml", ENGLISH_MEASURES)
    write_yaml(folder / "programme.yaml", {"title": "Our platform", "introduction": ["A short introduction."],
                                           "guarantees": ["A first promise", "A second promise"]})
    assert not [o.error for o in build(BuildRequest(root, root / "output", jobs=1)).outputs if o.error]
    return root


def printed(path: Path) -> str:
    words = text(path)
    for part in IMPRINT:
        words = words.replace(part, "")
    return words


def test_an_english_build_prints_no_french(english_build):
    pdfs = sorted((english_build / "output").rglob("*.pdf"))
    assert len(pdfs) >= 6 and any("sheets" in str(p) for p in pdfs)
    for path in pdfs:
        words = printed(path)
        assert [w for w in FRENCH if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", words)] == [], path
        assert not re.search(r"[ \u00a0\u202f][;:!?%]", words), (path, re.findall(r".{15}\s[;:!?%].{5}", words))


def test_an_english_build_prints_the_weekday_of_its_date(english_build):
    card = printed(english_build / "output" / "cards" / "sport.pdf")
    # its date tile: the round, the weekday, the month the locale writes first, the day large, its comma, the year
    assert re.search(r"Election\s+Day\s+·\s+Tuesday\s+NOVEMBER\s+3,\s*2026", card), card
    leaflet = printed(english_build / "output" / "leaflets" / "sport.pdf")  # its closing's tile, as the card's
    assert re.search(r"Election\s+Day\s+·\s+Tuesday\s+NOVEMBER\s+3,\s*2026", leaflet), leaflet
    assert not {"Sunday", "first round"} & set(re.findall(r"Sunday|first round", card + leaflet))


def test_a_campaigns_message_replacement_reaches_the_pdf(english_build):
    booklet = printed(english_build / "output" / "booklet.pdf")
    assert "What’s inside" in booklet
    # a stylesheet's words: the index's page numbers (measure 1 on page 2, where the short contents leave it room)
    assert re.search(r"\b1 page\s2\b", booklet), booklet


def test_an_english_job_ticket_and_slug_line(english_build):
    from printkit.pipeline.make import Output
    from printkit.pipeline.pack import job_ticket
    from printkit.products import Material

    programme = load_programme(english_build / "programme")
    booklet = english_build / "output" / "booklet.pdf"
    ticket = job_ticket(Material("booklet", None, "booklet.pdf"), Output("booklet.pdf", pages=8),
                        booklet.read_bytes(), programme, "booklet.pdf")
    # en-US prints on US paper unless campaign.yaml says otherwise (printing.paper)
    assert ticket.startswith("Job ticket") and "Half-letter booklet, 8 pages, saddle-stitched, the whole platform" in ticket
    assert "saddle-stitched, 2 staples on the fold" in ticket
    assert "135 gsm silk coated" in ticket and "to be confirmed" in ticket
    sheet = printed(next((english_build / "output" / "cards" / "sheets").rglob("sport.pdf")))
    assert "4 × 6 in card “Sports for everyone”" in sheet and "FRONT" in sheet and "flip on the" in sheet



def test_the_check_asks_for_french_spacing_in_french_documents_only(english_build):
    from printkit.checks.preflight import check_pdf

    programme = load_programme(english_build / "programme")
    findings = check_pdf(english_build / "output" / "cards" / "sport.pdf", "cards/sport.pdf", programme)
    assert [f.what for f in findings if "no-break space" in f.what] == []


def test_a_letter_in_english_follows_english_conventions(tmp_path):
    from printkit.builtin import BUILTIN_FONTS
    from printkit.letters.render import letter_names
    from printkit.letters.source import read_letter
    from printkit.products import Material
    from printkit.render.layouts import Layouts

    root = make_small(tmp_path, locale="en-US")
    programme = load_programme(root / "programme")
    source = root / "reply.md"
    # the body cites a measure as the letters' reader finds it (letters/source.py, out of this work), and
    # runs on to a second page, whose foot names the letter
    source.write_text("---\nto: |\n  Ms. Jane Doe\n  Springfield\nsubject: Our answer\ndate: 2026-11-03\n"
                      "place: Springfield\nsignature: The team\ncc: The board\n---\n\nSee our mesure 1.\n\n"
                      + "We answer each of your questions in turn, and at length, as you asked us to.\n\n" * 40)
    letter = read_letter(source, programme, BUILTIN_FONTS)
    material = Material("letter", None, "letters/reply.pdf")
    names = letter_names(letter, material, programme, datetime.datetime(2026, 1, 15)) | {"measures": [programme.measure(1)]}
    html = Layouts(root / "programme").render(material.template, **names)
    assert 'Springfield, <span class="letter-date-day">November\u00a03,\u00a02026</span>' in html
    assert '<span class="label">Re:</span>' in html and '<span class="label">cc:</span>' in html
    assert "The measures cited" in html and "The measure from our program that this letter cites." in html
    foot = _pdf_text(HTML(string=html, base_url=BUILTIN_LAYOUTS.as_uri() + "/").write_pdf())
    assert re.search(r"gauche!\s+·\s+letter\s+of\s+November", foot) and "lettre" not in foot


def test_a_message_in_a_stylesheet_is_a_quoted_css_string():
    from markupsafe import Markup

    from printkit.render.layouts import css_string

    assert css_string(Markup("Tom &amp; Jerry")) == '"Tom & Jerry"'
    assert css_string('say "hi" </style>') == '"say \\22 hi\\22  \\3c /style\\3e "'


@pytest.mark.parametrize("title, lead", [
    ("Travailler l'articulation entre la police municipale et la police nationale pour garantir la sécurité",
     "Travailler l'articulation entre la police municipale et la police nationale "),  # two nouns joined: one phrase
    ("Exiger le maintien des effectifs de la police nationale et transformer la police municipale",
     "Exiger le maintien des effectifs de la police nationale "),  # « et » before a second action
    ("Construire un plan de désimperméabilisation des sols à mettre en œuvre à l'occasion des travaux",
     "Construire un plan de désimperméabilisation des sols à mettre en œuvre "),  # « à » + infinitive, « mettre en »
    ("Financer les associations à hauteur réelle du service rendu aux habitants",
     "Financer les associations "),  # « à » before anything else
    ("Build 500 affordable homes and protect every tenant from eviction", "Build 500 affordable homes "),
    ("Allouer à tous les élèves une dotation standard de fournitures scolaires gratuites adaptée à chaque niveau "
     "et à leurs besoins réels",
     "Allouer à tous les élèves une dotation standard de fournitures scolaires gratuites adaptée "),  # no place within LEAD_MAX
    ("Demander au préfet la mise en place de l'encadrement des loyers en zone tendue et développer un outil",
     "Demander au préfet la mise en place de l'encadrement des loyers "),  # « mise en place »: one expression
    ("Organiser dans chaque quartier la prise en charge des personnes âgées avec les associations",
     "Organiser dans chaque quartier la prise en charge des personnes âgées "),  # « prise en charge »: one expression
    ("Mener une politique ambitieuse de rénovation des équipements sportifs et de mise en adéquation avec les "
     "besoins des associations",
     "Mener une politique ambitieuse de rénovation des équipements sportifs et de mise en adéquation "),  # « mise en »
    ("Valoriser et permettre l'accès au sport au plus grand nombre à travers un événement annuel",
     "Valoriser et permettre l'accès au sport "),  # « l'accès au sport »: « à » completes the noun
    ("Au niveau intercommunal, étendre le permis de louer à l'ensemble de la ville",
     "Au niveau intercommunal, étendre le permis de louer "),  # the opening sets the scene: the action follows
], ids=["nouns-joined", "second-action", "infinitive", "a-before-a-noun", "english-and", "long-title",
        "expression", "prise-en-charge", "mise-en", "noun-and-a", "circumstance"])
def test_a_titles_bold_lead_ends_where_its_phrase_does(title, lead):
    from printkit.programme.phrasing import lead_phrase

    assert lead_phrase(title)[0] == lead
