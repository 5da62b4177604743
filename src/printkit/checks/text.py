"""The art director's reading of a written PDF's text: hyphenation ladders and share, French spacing, ordinals.

It reads the text as printed, inside the trim, line by line in drawing order (pdfium), so it
sees template strings and programme text alike, whatever layout made them.
"""

import re

import pypdfium2 as pdfium

from printkit.errors import Finding

MAX_HYPHENATED_SHARE = 0.04  # of a file's lines
MAX_HYPHEN_RUN = 2  # hyphenated lines in a row
HYPHENS = ("\u2010", "-", "\u00ad")  # WeasyPrint's hyphenate-character, a compound's hyphen, a soft hyphen
BREAKS = ("\u2010", "\u00ad")  # the hyphens that break a word, not a compound
NO_BREAK = "\u00a0\u202f"
_URL = re.compile(r"\S*(?:https?://|www\.|\.fr\b|\.org\b|@)\S*")
_BEFORE = re.compile(rf"(?:(?<=[^\s{NO_BREAK}])|( ))([;!?:»])")  # no space, or a plain one, before ; ! ? : »
_AFTER = re.compile(rf"«(?:(?=[^\s{NO_BREAK}])|( ))")  # no space, or a plain one, after «
_BROKEN = re.compile(r"\n[ \t]*([;!?:»])|(«)[ \t]*\r?\n")  # a line that starts with » or ends with «
_ORDINAL = re.compile(r"\b(\d+)(ER|ERE|ÈRE|RE|E|EME|ÈME|D|ème|ère)\b")


def text_findings(document: pdfium.PdfDocument, name: str, pages: range | None, locale: str) -> list[Finding]:
    """Hyphenation warnings on a PDF's pages (all of them by default), and French-spacing ones
    when the document is in French: English sets no space before ; ! ? :."""
    pages = range(len(document)) if pages is None else pages
    spacing = spacing_findings(document, name, pages) if locale == "fr-FR" else []
    return hyphen_findings(printed_lines(document, pages), name) + spacing


def printed_lines(document: pdfium.PdfDocument, pages: range | None = None) -> list[tuple[int, str]]:
    """Every non-blank line of text inside the trim, with its page number, in drawing order
    (of the given pages, or all)."""
    lines = []
    for index in range(len(document)) if pages is None else pages:
        page = document[index]
        text = page.get_textpage().get_text_bounded(*page.get_trimbox())
        lines += [(index + 1, line.rstrip()) for line in text.splitlines() if line.strip()]
    return lines


def hyphen_findings(lines: list[tuple[int, str]], name: str) -> list[Finding]:
    """Too large a share of lines ending in a hyphen, every ladder of more than two in a row, and
    every word broken alone on its line."""
    hyphenated = [line.endswith(HYPHENS) for _, line in lines]
    findings = [_ladder(lines[end - run:end], name) for end, run in _runs(hyphenated) if run > MAX_HYPHEN_RUN]
    findings += [_alone(page, line, name) for page, line in lines if _broken_alone(line)]
    share = sum(hyphenated) / len(lines) if lines else 0
    if share > MAX_HYPHENATED_SHARE:
        findings.append(Finding(name, 0, "warning", f"{sum(hyphenated)} of {len(lines)} lines ({share:.1%}) end "
                                                    f"hyphenated, more than {MAX_HYPHENATED_SHARE:.0%}"))
    return findings


def _runs(flags: list[bool]):
    """(index after the run, length) of every run of true flags."""
    run = 0
    for index, flag in enumerate(flags + [False]):
        if not flag and run:
            yield index, run
        run = run + 1 if flag else 0


def _broken_alone(line: str) -> bool:
    """A line that holds only the start of a word, broken by hyphenation (« restaura‐ »): WeasyPrint
    70 broke a word early so (typography.py: body_text), where it would have fitted the next line."""
    return line.endswith(BREAKS) and len(line.split()) == 1


def _alone(page: int, line: str, name: str) -> Finding:
    return Finding(name, page, "warning", f"a word broken alone on its line ({line.strip()})")


def _ladder(run: list[tuple[int, str]], name: str) -> Finding:
    ends = " / ".join(line.split()[-1] for _, line in run)
    return Finding(name, run[0][0], "warning", f"hyphen ladder: {len(run)} hyphenated lines in a row ({ends})")


def spacing_findings(document: pdfium.PdfDocument, name: str, pages: range) -> list[Finding]:
    """A plain space or none where French typography wants a no-break one; a line that starts with
    ; ! ? : or » or ends with « (broken at a plain space); an ordinal set as « 1ER » or « 2ème »."""
    findings = set()
    for index in pages:
        page = PrintedPage(document[index])
        findings.update(Finding(name, index + 1, "warning", problem) for problem in _spacing_problems(page))
    return sorted(findings)


class PrintedPage:
    """A page's characters as drawn (pdfium's generated line breaks included), URLs blanked out."""

    def __init__(self, page: pdfium.PdfPage):
        self.textpage = page.get_textpage()
        self.text = self.textpage.get_text_range(0, self.textpage.count_chars())
        self.text = _URL.sub(lambda url: " " * len(url.group()), self.text)
        self.trim = page.get_trimbox()

    def printed(self, index: int) -> bool:
        """Whether the character lies inside the trim (the build stamp in the bleed does not)."""
        left, bottom, right, top = self.textpage.get_charbox(index, loose=True)
        return self.trim[0] <= left and right <= self.trim[2] and self.trim[1] <= bottom and top <= self.trim[3]

    def narrow(self, index: int) -> bool:
        """Whether the space at index advances less than 0.15 em: a narrow no-break space that the
        font drew with its space glyph (HarfBuzz's fallback), so that it reads back as U+0020."""
        advance = self.textpage.get_charbox(index + 1, loose=True)[0] - self.textpage.get_charbox(index, loose=True)[0]
        return advance < 0.15 * pdfium.raw.FPDFText_GetFontSize(self.textpage, index)


def _spacing_problems(page: PrintedPage):
    text = page.text
    for match in _BEFORE.finditer(text):
        mark, space = match.group(2), match.group(1)
        if not page.printed(match.start(2)) or mark == ":" and _between_digits(text, match.start(2)):
            continue
        if space and mark != ":" and page.narrow(match.start(1)):
            continue
        yield f"{'a plain space' if space else 'no space'} before « {mark} » in « {_around(text, match.start(2))} »: " \
              f"it takes a no-break space"
    for match in _AFTER.finditer(text):
        if page.printed(match.start()) and not (match.group(1) and page.narrow(match.start(1))):
            yield f"{'a plain space' if match.group(1) else 'no space'} after « « » in « {_around(text, match.start())} »"
    for match in _BROKEN.finditer(text):
        mark = match.group(1) or match.group(2)
        if page.printed(match.start(1) if match.group(1) else match.start(2)):
            where = "starts" if match.group(1) else "ends"
            yield f"a line {where} with « {mark} »: it was broken at a plain space ({_around(text, match.start())})"
    for match in _ORDINAL.finditer(text):
        if page.printed(match.start()):
            yield f"ordinal « {match.group()} »: set it as {match.group(1)}{_ordinal_suffix(match.group(2))} " \
                  f"(in small letters, or spelled out)"


def squeeze(text: str) -> str:
    """The text without any white space, as needles are sought in text that pdfium may break anywhere."""
    return "".join(text.split())


def _between_digits(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()


def _around(text: str, index: int) -> str:
    return " ".join(text[max(0, index - 20):index + 12].split())


def _ordinal_suffix(suffix: str) -> str:
    return {"ER": "er", "ERE": "re", "ÈRE": "re", "RE": "re", "ère": "re", "D": "d"}.get(suffix, "e")
