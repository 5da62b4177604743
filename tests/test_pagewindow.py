"""The booklet pages an edit touches, laid out alone, are the pages a full layout makes."""

import functools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from PIL import Image, ImageChops

from printkit.pipeline.cache import BOOKLET_FITTING
from printkit.pipeline.make import render_context
from printkit.pipeline.plan import BuildRequest
from printkit.preview import serve
from printkit.products import Material
from printkit.products.fitting import render_material
from printkit.programme.loader import read_programme
from printkit.render import pagewindow
from printkit.render.pdf import pdf_bytes

from conftest import ROOT, overridden, write_yaml
from test_campaigns import CAMPAIGNS, riverton, val_fleuri  # noqa: F401  (session fixtures, shared with test_campaigns)

BOOKLET = Material("booklet", None, "booklet.pdf")


def laid_out(root: Path, out: Path, key: str):
    """The booklet laid out in full as a build lays it out under layout key ``key`` (with the
    fitting's choice kept in ``out``, if any), its page map recorded, and its pages as images."""
    context = render_context(BuildRequest(root, out), read_programme(root / "programme")[0])
    rendered = render_material(BOOKLET, context, key)
    pagewindow.record(out, BOOKLET.output, rendered.html, rendered.document, key)
    return context, rendered, images(pdf_bytes(rendered.document, context.options, BOOKLET.output))


def images(data: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(data)
    return [document[i].render(scale=1).to_pil().convert("RGB") for i in range(len(document))]


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def window_images(context, out: Path, html: str, key: str) -> tuple[pagewindow.Window | None, list[Image.Image]]:
    following = BOOKLET.product.next_html(BOOKLET, context)
    window = pagewindow.lay_out_window(out, BOOKLET.output, html, following, key, context.base, context.fetcher,
                                       context.options, lambda laid: BOOKLET.product.window_html(BOOKLET, context, laid))
    return window, images(pdf_bytes(window.document, context.options, BOOKLET.output)) if window else []


@dataclass
class Booklet:
    """The real booklet as its cold build (conftest.real_build) laid it out and recorded it: its
    output folder, the layout key of its page map, its HTML, its pages as images."""

    out: Path
    key: str
    html: str
    pages: list[Image.Image]


@pytest.fixture(scope="module")
def booklet(real_build):
    key = json.loads((real_build / pagewindow.PAGE_MAP).read_text())["key"]
    html = (real_build / "html" / "booklet.html").read_text()
    return Booklet(real_build, key, html, images((real_build / "booklet.pdf").read_bytes()))


def test_every_measure_page_laid_out_alone_is_the_full_layouts_page(booklet, tmp_path):
    """Each page a measure starts, laid out as the window after an edit of that measure that
    changes nothing on paper: left and right pages, section openings, continued measures."""
    # the window is cut from the booklet's HTML for windows, its measures marked as the cold build's fitting left them
    context = render_context(BuildRequest(ROOT, booklet.out), read_programme(ROOT / "programme")[0])
    window_html = BOOKLET.product.full_html(BOOKLET, context)
    full = booklet.pages
    starts = [page["start"] for page in pagewindow._recorded(booklet.out, BOOKLET.output, booklet.key)["pages"]]
    assert sum(1 for start in starts if start) > 15  # 19 of 26: the others open with a measure run on, « (suite) »
    for index, start in enumerate(starts):
        if not start or index == 0:
            continue
        html = window_html.replace(f'id="{start}"', f'id="{start}" data-unchanged=""')
        window, pages = window_images(context, booklet.out, html, booklet.key)
        if not any(starts[index + 1:]):  # the last page a measure starts: the window, if any, stops before the
            assert window is None or not window.settled  # page the index shares, which the full build shows
        else:
            assert window.first == index and window.settled == any(starts[index + 2:])
        for offset, page in enumerate(pages):
            assert same(page, full[index + offset]), f"{start}: page {index + offset + 1}"


def test_a_window_after_a_chapter_its_pages_left_without_a_tab_gives_it_its_tab(riverton):
    """Riverton's libraries opens at the foot of page 5, which parks opens and has the tab of, and
    has its tab on page 6, which safety opens. The window from page 6, which took every chapter
    with a measure on the pages before it for one they showed the tab of, gave page 6 safety's (as
    found with the rule switched off): the preview showed a tab the full build did not."""
    out = riverton.output
    key = json.loads((out / pagewindow.PAGE_MAP).read_text())["key"]
    context = render_context(BuildRequest(riverton.campaign, out), read_programme(riverton.campaign / "programme")[0])
    starts = [page["start"] for page in pagewindow._recorded(out, BOOKLET.output, key)["pages"]]
    index = starts.index("mesure-21")
    html = BOOKLET.product.full_html(BOOKLET, context).replace('id="mesure-21"', 'id="mesure-21" data-unchanged=""')
    window, pages = window_images(context, out, html, key)
    full = images((out / "booklet.pdf").read_bytes())
    assert window.first == index and pages and all(same(page, full[index + n]) for n, page in enumerate(pages))


@pytest.fixture(scope="module")
def small_booklet(val_fleuri):
    """val-fleuri's booklet (12 pages) as its cold build laid it out: cheaper to lay out again than the real one."""
    out = val_fleuri.output
    key = json.loads((out / pagewindow.PAGE_MAP).read_text())["key"]
    return Booklet(out, key, (out / "html" / "booklet.html").read_text(), images((out / "booklet.pdf").read_bytes()))


@pytest.mark.parametrize("number, edit, settles", [
    (24, {"title": " (édition pour la mesure du temps)"}, True),
    (20, {"title": " (édition pour la mesure du temps)"}, True),  # a theme's lead, quoted on designed pages not printed
    (24, {"details": ["Un engagement de plus, assez long pour pousser la suite de la mesure sur la page "
                      "d’après et déplacer les sauts de page qui suivent."] * 4}, False),
], ids=["title", "title-of-a-lead", "long-details"])
def test_an_edit_laid_out_alone_gives_the_pages_of_a_full_layout(small_booklet, tmp_path, number, edit, settles):
    """A title edit; one of a measure that only designed pages the booklet drops quote (its theme's
    lead); one that moves the page breaks after it:
    the window's pages are the new full layout's, and the pages after them are unchanged exactly when
    it says so. The window is laid out as the preview lays it out, before the full build, from the
    cold build's fitting choices, which the full layout starts from. Each edit fills its page, which
    the cold build gave space above its measures (booklet.py: _air) and the full build's fitting
    gives less; the long details move the next page's first measure up, whose space goes too: the
    window takes the full build's choices."""
    booklet, project = small_booklet, tmp_path / "val-fleuri"
    shutil.copytree(CAMPAIGNS / "val-fleuri", project)
    (project / "full" / BOOKLET_FITTING).parent.mkdir(parents=True)
    shutil.copy(booklet.out / BOOKLET_FITTING, project / "full" / BOOKLET_FITTING)
    measures = yaml.safe_load((project / "programme" / "measures.yaml").read_text())
    measure = next(m for s in measures for m in s["measures"] if m["number"] == number)
    for key, value in edit.items():
        measure[key] = measure[key] + value if key == "title" else measure.get(key, []) + value
    write_yaml(project / "programme" / "measures.yaml", measures)
    context = render_context(BuildRequest(project, project / "full"), read_programme(project / "programme")[0])
    window, pages = window_images(context, booklet.out, BOOKLET.product.full_html(BOOKLET, context), booklet.key)
    context, rendered, after = laid_out(project, project / "full", booklet.key)
    for offset, page in enumerate(pages):
        assert same(page, after[window.first + offset]), f"page {window.first + offset + 1}"
    rest = window.first + len(pages)
    unchanged = len(booklet.pages) == len(after) and all(same(a, b) for a, b in zip(booklet.pages[rest:], after[rest:]))
    assert window.settled == unchanged == settles


def first_sections(project: Path, count: int) -> None:
    """Keep the first ``count`` sections of the project's programme."""
    path = project / "programme" / "measures.yaml"
    write_yaml(path, yaml.safe_load(path.read_text())[:count])


def test_the_preview_shows_the_edited_pages_first_then_the_full_booklet(project, tmp_path, monkeypatch):
    """On the real programme's first eight sections. With six, the edited measure 18 stands on the
    last page but one of measures, and the last opens inside a measure: no page after the edit
    opens with one, where the window could end settled."""
    first_sections(project, 8)
    out = tmp_path / "out"
    request = BuildRequest(project, out, which="booklet")
    state, workers = serve.PreviewState(), serve.Workers()
    shown = []
    record = functools.partial(_record_provisional, serve._show_provisional, shown)
    monkeypatch.setattr(serve, "_show_provisional", record)
    try:
        serve.rebuild(request, state, workers)
        path = project / "programme" / "measures.yaml"
        path.write_text(path.read_text().replace("Agir sur la commande publique", "Agir sur toute la commande publique"))
        serve.rebuild(request, state, workers)
    finally:
        workers.stop()
    assert len(shown) == 1 and not state.error
    provisional, window = shown[0]
    assert provisional["provisional"] and provisional["stale_from"] is None and len(window) >= 2
    final = next(m for m in state.materials if m["name"] == "booklet.pdf")
    assert not final.get("provisional") and len(final["pages"]) == len(provisional["pages"])
    for index, image in window.items():  # from their own PDF, named apart, the full build's page images
        assert provisional["pages"][index]["image"] != final["pages"][index]["image"]
        assert image == (out / final["pages"][index]["image"]).read_bytes(), f"page {index + 1}"


def _record_provisional(show, shown: list, out, state, provisional) -> None:
    """Keep what the preview showed of a window: the state of the booklet, and the window's page images."""
    show(out, state, provisional)
    if provisional.whole:  # the draft of the first build
        return
    material = next(dict(m) for m in state.materials if m["name"] == provisional.path)
    count = len(pdfium.PdfDocument(out / provisional.pdf))
    window = {provisional.first + i: (out / page["image"]).read_bytes()
              for i, page in enumerate(material["pages"][provisional.first:provisional.first + count])}
    shown.append((material, window))


def test_a_failing_window_leaves_the_full_build_to_show_the_edit(small_with_output, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("a layout the window cannot handle")

    small = small_with_output
    monkeypatch.setattr(pagewindow, "lay_out_window", broken)  # before the workers fork: they inherit it
    request = BuildRequest(small, small / "output", which="booklet")
    state, workers = serve.PreviewState(), serve.Workers()
    try:
        serve.rebuild(request, state, workers)
        before = [page["image"] for page in state.materials[0]["pages"]]
        path = small / "programme" / "measures.yaml"
        path.write_text(path.read_text().replace("Planter des arbres", "Planter des arbres fruitiers"))
        serve.rebuild(request, state, workers)
    finally:
        workers.stop()
    assert not state.error and [page["image"] for page in state.materials[0]["pages"]] != before
    assert "showing pages ahead of the full build failed" in caplog.text and "a layout the window cannot" in caplog.text


def test_the_tail_after_the_measures_leaves_out_the_designed_pages_not_printed():
    """An edit that only a dropped designed page quotes changes no page: the window stays settled."""
    html = ('<article id="mesure-1">Un</article><div id="closing">Deux</div>'
            '<section id="filler-themes">Un</section><section id="filler-act">Agir</section>')
    kept = pagewindow._tail_digest(html, ["filler-themes"])
    assert pagewindow._tail_digest(html.replace(">Un</section>", ">Un bis</section>"), ["filler-themes"]) == kept
    assert pagewindow._tail_digest(html.replace("Agir", "Agir bis"), ["filler-themes"]) != kept
    assert pagewindow._tail_digest(html.replace("Deux", "Trois"), ["filler-themes"]) != kept


def test_a_layout_without_measures_has_a_whole_document_tail():
    from weasyprint import HTML

    html = '<p data-head="Début">Un</p><p>Deux</p>'
    digest = pagewindow.tail_inputs(html, HTML(string=html).render())
    assert digest != pagewindow.tail_inputs(html.replace("Deux", "Trois"), HTML(string=html).render())


def test_a_new_layout_shows_a_draft_of_the_booklet_while_its_fitting_tries_every_choice(small, tmp_path, monkeypatch):
    """The first build, and a stylesheet edit, which a page window cannot show: the whole booklet
    laid out once with the last choice after the index is shown first; here the choice stands,
    so its pages are the full build's, byte for byte. The fitting is made to try every choice
    after the index, as a longer programme's does: the small programme's booklet, of 4 pages,
    has none worth trying, and its full build, of one layout, would come first."""
    from printkit.products import booklet

    out = tmp_path / "out"
    request = BuildRequest(small, out, which="booklet")
    monkeypatch.setattr(booklet, "_may_help", lambda *args: True)  # before the workers fork
    state, workers = serve.PreviewState(), serve.Workers()
    shown = []
    monkeypatch.setattr(serve, "_show_provisional", functools.partial(_record_draft, serve._show_provisional, shown))
    try:
        serve.rebuild(request, state, workers)
        css = overridden(small, "booklet/booklet.css")
        css.write_text(css.read_text() + "\n.index-help { letter-spacing: 0.01em; }\n")
        serve.rebuild(request, state, workers)
    finally:
        workers.stop()
    assert len(shown) == 2 and not state.error
    final = [(out / page["image"]).read_bytes() for page in state.materials[0]["pages"]]
    assert shown[1] == final and shown[0] != final  # the edit changed the index page


def _record_draft(show, shown: list, out, state, provisional) -> None:
    show(out, state, provisional)
    assert provisional.whole
    material = next(m for m in state.materials if m["name"] == provisional.path)
    shown.append([(out / page["image"]).read_bytes() for page in material["pages"]])
