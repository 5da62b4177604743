"""A letter's annex, read from the PDF as printed: it holds exactly the measures the letter's
text cites, each printed as its number then its title, in the order of citation. In a mail
merge, the first letter is read: every other one repeats its pages. At layout time, the
address sits in the envelope's window, where the letter's format puts it."""

import re
import unicodedata

from printkit.checks.document import CheckedPdf
from printkit.checks.imprint import closing_mention
from printkit.checks.text import squeeze
from printkit.errors import Finding
from printkit.messages import messages_for
from printkit.products.paper import Window
from printkit.programme.model import Programme
from printkit.units import MM_PER_PX

WINDOW_TOLERANCE_MM = 0.5  # rounding of the boxes, not a defect: a window's edge hides more than this
# The letters and digits of a title that identify it after its number: measures may share a title
# (Clamart's 9 and 25), so the number tells them apart, and a few words are enough to read it.
TITLE_CHARS = 24
NUMBER = re.compile(r"(?<!\d)\d{1,4}(?!\d)")  # a whole number: a page's « 2 / 3 » does not run into a measure's


def letter_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """The annex holds exactly the measures that the letter's text cites, in their order.

    Read from the PDF as printed: references found in the text before the annex's title (« Les
    mesures citées », in the campaign's words, on its page or an earlier one), the annexed
    measures from the text after it, each a number followed by that measure's title; in a mail
    merge, the first letter.
    """
    texts = _first_letter(checked.document, closing_mention(programme))
    title = messages_for(programme.campaign)("letter.annex.title")
    start = next((i for i, text in enumerate(texts) if title in text), None)
    if start is None:
        return [Finding(checked.name, 0, "error", f"no annex « {title} »")]
    before, after = texts[start].split(title, 1)  # the annex may start under the signature
    cited = _cited([*texts[:start], before], programme.campaign.locale)
    return _annex_findings(checked.name, cited, _annexed([after, *texts[start + 1:]], programme), programme)


def first_letter(checked: CheckedPdf, programme: Programme) -> range:
    """The pages of a file's first letter (every page, for a single letter)."""
    return range(len(_first_letter(checked.document, closing_mention(programme))))


def _first_letter(document, closing: str) -> list[str]:
    """The text of each page of the file's first letter, which ends with the imprint and its ``closing``
    mention (the jurisdiction's, without spaces)."""
    texts = []
    for index in range(len(document)):
        texts.append(document[index].get_textpage().get_text_range())
        if closing in squeeze(texts[-1]):
            break
    return texts


def _cited(texts: list[str], locale: str) -> list[int]:
    """The measure numbers the letter's text cites, each once, in the order of first citation."""
    from printkit.letters.source import cited_numbers, language

    body = "\n".join(texts).replace("\u2010", "-")  # the hyphen WeasyPrint adds at a line break
    return list(dict.fromkeys(int(number.group()) for number in cited_numbers(body, language(locale))))


def _annexed(texts: list[str], programme: Programme) -> list[int]:
    """The measures the annex shows, each once, in its order: a number printed just before the
    first letters of that measure's title (spaces, quotes and hyphens aside)."""
    titles = {m.number: _plain(m.title)[:TITLE_CHARS] for m in programme.measures}
    text = "\n".join(texts)
    shown = [int(hit.group()) for hit in NUMBER.finditer(text) if _titled(text, hit, titles)]
    return list(dict.fromkeys(shown))


def _titled(text: str, hit: re.Match, titles: dict[int, str]) -> bool:
    """Whether a number found in the text is a measure's, followed by the start of its title."""
    title = titles.get(int(hit.group()))
    return title is not None and _plain(text[hit.end():hit.end() + 4 * TITLE_CHARS]).startswith(title)


def _plain(text: str) -> str:
    """Letters and digits only, in one case and composed alike (« é » typed in two characters, a
    font's « ﬁ »): a title as typed and as pdfium reads it back typeset."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _annex_findings(name: str, cited: list[int], annexed: list[int], programme: Programme) -> list[Finding]:
    numbers = {m.number for m in programme.measures}
    findings = [Finding(name, 0, "error", f"the letter cites measure {n}, which is not in the programme")
                for n in cited if n not in numbers]
    findings += [Finding(name, 0, "error", f"the letter cites measure {n}, which its annex lacks")
                 for n in cited if n in numbers and n not in annexed]
    findings += [Finding(name, 0, "error", f"the annex holds measure {n}, which the letter does not cite")
                 for n in annexed if n not in cited]
    if not findings and annexed != [n for n in cited if n in annexed]:
        findings.append(Finding(name, 0, "error", "the annex is not in the order the letter cites its measures"))
    return findings


def address_findings(document, name: str, window: Window) -> list[Finding]:
    """Layout-time: on each page that holds an address (a letter's first page, every stamp of a
    mail merge), its text lies inside the frame the envelope's window shows (the format's data)."""
    from printkit.render import weasy

    findings = []
    for number, page in enumerate(document.pages, 1):
        root = weasy.page_box(page)
        address = next((box for box in weasy.walk_boxes(root) if "address" in weasy.classes(box)), None)
        lines = [box for box in weasy.walk_boxes(address) if isinstance(box, weasy.TextBox)] if address else []
        past = max((_past_window(box, page.bleed, window) for box in lines), default=0.0)
        if past > WINDOW_TOLERANCE_MM:
            findings.append(Finding(name, number, "error", f"the address runs {past:.1f} mm outside the envelope's "
                                                           "window"))
    return findings


def _past_window(box, bleed: dict, window: Window) -> float:
    """How far, in mm, a text box runs past the window frame (0 inside it)."""
    x0 = (box.border_box_x() - bleed["left"]) * MM_PER_PX
    y0 = (box.border_box_y() - bleed["top"]) * MM_PER_PX
    x1, y1 = x0 + box.border_width() * MM_PER_PX, y0 + box.border_height() * MM_PER_PX
    right, bottom = window.left + window.width, window.top + window.height
    return max(0.0, window.left - x0, window.top - y0, x1 - right, y1 - bottom)
