"""Layouts: a designer's folder overrides single files, errors name the template line, text stays text."""

import pytest
import yaml

from printkit.builtin import BUILTIN_LAYOUTS

from conftest import build_card, make_designer, run_printkit, write_yaml
from pdfcheck import squeezed, text


def test_designer_overrides_one_stylesheet_and_extends_a_builtin_template(small, tmp_path):
    designer = make_designer(tmp_path, {
        "card/card.css": (BUILTIN_LAYOUTS / "card" / "card.css").read_text() + "\n.card-kicker { color: red; }\n",
        "card/card.html": '{% extends "!builtin/card/card.html" %}\n{% block title %}Maquette du designer{% endblock %}\n',
    })
    out = tmp_path / "out"
    assert build_card(small, tmp_path, designer).returncode == 0
    html = (out / "html" / "cards" / "sport.html").read_text()
    assert "<title>Maquette du designer</title>" in html
    assert (designer / "card" / "card.css").as_uri() in html
    assert (BUILTIN_LAYOUTS / "common" / "common.css").as_uri() in html


@pytest.mark.parametrize("files, message", [
    ({"card/card.html": '{% extends "!builtin/card/card.html" %}\n{% block title %}\n{{ campaign.nmae }}\n{% endblock %}\n'},
     "designer/card/card.html:3:1: UndefinedError: 'printkit.programme.model.Campaign object' has no attribute 'nmae'"),
    ({"card/card.html": "<p>\n{% if %}\n"}, "designer/card/card.html:2:1: Expected an expression"),
    ({"card/card.css": '@import url("file:///etc/passwd");\n.card-front { background: url("https://example.org/x.png"); }\n'},
     "cannot load a resource the layout needs: /etc/passwd is outside the project's"),
], ids=["undefined-name", "syntax-error", "resource-outside-the-project"])
def test_layout_errors_are_clear(small, tmp_path, files, message):
    result = build_card(small, tmp_path, make_designer(tmp_path, files))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert message in result.stderr


def test_html_and_jinja_in_titles_print_literally(small, tmp_path):
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    title = "<script>alert(1)</script> <img src=x> & {{ campaign.name }} <!-- c -->"
    measures[0]["measures"][0]["title"] = title
    write_yaml(small / "programme" / "measures.yaml", measures)
    out = tmp_path / "out"
    run_printkit("build", "cards", "--theme", "ecologie", "--out", str(out), cwd=small, check=True)
    html = (out / "html" / "cards" / "ecologie.html").read_text()
    assert "<script>" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert squeezed(title) in squeezed(text(out / "cards" / "ecologie.pdf"))


def test_every_file_laid_out_with_a_stylesheet_gets_its_warnings(small, tmp_path):
    """A stylesheet is parsed once per process (render/weasy.py) and its warnings given again to each
    file laid out with it: both cards, built in one process, report the designer's unknown property."""
    designer = make_designer(tmp_path, {
        "card/card.css": (BUILTIN_LAYOUTS / "card" / "card.css").read_text() + "\n.card-kicker { colour: red; }\n"})
    result = run_printkit("build", "cards", "--theme", "sport", "--theme", "ecologie", "--layouts", str(designer),
                          "--out", str(tmp_path / "out"), cwd=small)
    warned = {line.split("│")[2].strip() for line in result.stdout.splitlines()
              if "Ignored `colour: red`" in line and line.count("│") > 2}
    assert warned == {"cards/sport.pdf", "cards/ecologie.pdf"}, result.stdout


CASCADES = {
    "an id rule after a style attribute": '<style>#a { color: red }</style><p id="a" style="color: blue">x</p>',
    "important against an important style attribute":
        '<style>.k { color: red !important }</style><p class="k" style="color: blue !important">x</p>',
    "a linked sheet, then a style element": '<link rel="stylesheet" href="data:text/css,p{font-size:30pt;color:red}">'
                                            '<style>p { color: green }</style><p>x</p>',
    "a layer order declared in another sheet": '<style>@layer base, theme;</style><style>@layer theme { p { font-size: 30px } } '
                                               '@layer base { p { font-size: 10px } }</style><p>x</p>',
    "a sheet for another medium": '<style media="screen">p { color: red }</style><p>x</p>',
    "an unknown property and a var() that resolves to nothing valid":
        '<style>:root { --w: 3 } p { colour: red; width: var(--w) }</style><p>x</p>',
}


def _paragraph_style(document) -> tuple:
    from printkit.render import weasy

    paragraph = next(box for box in weasy.walk_boxes(weasy.page_box(document.pages[0]))
                     if box.element_tag == "p" and not isinstance(box, weasy.TextBox))
    return paragraph.style["font_size"], paragraph.style["color"], paragraph.style["width"]


@pytest.mark.parametrize("html", CASCADES.values(), ids=CASCADES.keys())
def test_stylesheets_parsed_once_give_weasyprints_cascade_and_warnings(html, caplog):
    """Each layout of a document through printkit's adapter (render/weasy.py), the second one from the
    sheets as parsed by the first, computes the styles WeasyPrint computes alone and logs its warnings."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from printkit.render import weasy

    caplog.set_level("WARNING", "weasyprint")
    expected = _paragraph_style(HTML(string=html).render())
    warned = [r.getMessage() for r in caplog.records]
    document = HTML(string=html)  # laid out twice: the second time from the sheets as parsed the first
    for _ in range(2):
        caplog.clear()
        assert _paragraph_style(weasy.render(document, CSS(string=""), FontConfiguration(), {})) == expected
        assert [r.getMessage() for r in caplog.records] == warned


def test_a_template_is_compiled_once_per_process_and_again_when_its_source_changes(tmp_path, monkeypatch):
    from printkit.render.layouts import Layouts, Sandbox
    compiled = []
    compile_ = Sandbox.compile
    monkeypatch.setattr(Sandbox, "compile", lambda self, *args, **kw: compiled.append(1) or compile_(self, *args, **kw))
    designer = tmp_path / "layouts"
    designer.mkdir()
    (designer / "note.html").write_text("first {{ 1 + 1 }}")
    said = [Layouts(tmp_path, designer).render("note.html") for _ in range(2)]
    assert said == ["first 2", "first 2"] and len(compiled) == 1  # the second environment compiled nothing
    (designer / "note.html").write_text("second {{ 2 + 2 }}")
    assert Layouts(tmp_path, designer).render("note.html") == "second 4" and len(compiled) == 2
