"""Fonts as a RIP loads them: every font embedded, one font program per subset name, and a
header version that covers the font format (and the file's other features)."""

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.prepress.finish import FONT_FILES, font_program, fonts, program_digest, required_versions


def embedding_findings(checked: CheckedPdf) -> list[Finding]:
    """Every font a page or its forms use must carry its font program."""
    findings = set()
    for number, page in enumerate(checked.pdf.pages, 1):
        for font in _fonts(page.obj):
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None or not set(FONT_FILES) & set(descriptor.keys()):
                    findings.add(Finding(checked.name, number, "error", f"font {font.get('/BaseFont')} is not embedded"))
    return sorted(findings)


def _fonts(owner):
    resources = owner.get("/Resources", {})
    yield from resources.get("/Font", {}).values()
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject)


def subset_findings(checked: CheckedPdf) -> list[Finding]:
    """One subset name must stand for one font program: RIPs cache fonts by name."""
    programs: dict[str, set[str]] = {}
    for font in fonts(checked.pdf):
        program, base = font_program(font), str(font.get("/BaseFont", ""))
        if program is not None and "+" in base:
            programs.setdefault(base.lstrip("/"), set()).add(program_digest(program))
    return [Finding(checked.name, 0, "error", f"subset name {base} stands for {len(digests)} different font programs")
            for base, digests in sorted(programs.items()) if len(digests) > 1]


def version_findings(checked: CheckedPdf) -> list[Finding]:
    """The header's version must cover every feature the file uses."""
    pdf, needed = checked.pdf, {}
    for version, feature in required_versions(pdf, checked.data):
        needed[feature] = max(version, needed.get(feature, version))
    return [Finding(checked.name, 0, "error", f"the header says PDF {pdf.pdf_version}, but {feature} need PDF {version}")
            for feature, version in sorted(needed.items()) if version > pdf.pdf_version]
