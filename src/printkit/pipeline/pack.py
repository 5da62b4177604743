"""The printer's package. For each product, what a coordinator uploads or mails to a
printer: the PDF/X file, a job ticket, the preflight report and SHA-256 checksums. The Code
électoral's pieces go together under official/, one folder each, since they go to the
prefecture's commission de propagande and the panels rather than to the campaign's own printer."""

import ctypes
import datetime
import fcntl
import hashlib
import io
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pikepdf

from printkit.checks.intent import Intent, generic_profile, output_intent
from printkit.checks.subject import subject_findings, subject_of
from printkit.errors import Finding, PrintkitError
from printkit.files import staging_folder, write_atomic
from printkit.messages import Messages, messages_for
from printkit.pipeline.build import BuildRequest, Output, Report, build
from printkit.pipeline.plan import plan_materials
from printkit.prepress.finish import pdfx_version
from printkit.products import FileSubject, Material, product
from printkit.products.paper import Size
from printkit.products.registry import Format
from printkit.programme.loader import read_programme
from printkit.programme.model import Programme
from printkit.programme.schema import DEFAULT_ICC
from printkit.render.typography import long_date, weekday
from printkit.units import pt_to_mm


def pack(request: BuildRequest, to: Path, warn=lambda message: None) -> list[Path]:
    """Build what changed, then write one folder per product under ``to``; return the folders.

    Refuses while campaign.yaml names no printer (the files are proofs) or while any file
    has an error finding: a package is only made of files a printer can run. What the
    coordinator should still settle with the printer is passed to ``warn`` (pack_warnings).
    """
    programme, _ = read_programme(request.root / "programme")
    if not programme.campaign.imprint.complete:
        raise PrintkitError("campaign.yaml names no printer (imprint.printer_name, imprint.printer_address): "
                            "the files are proofs marked ÉPREUVE; name the printer, then pack")
    report = build(request)
    errors = [f for f in report.findings if f.level == "error"] + [
        Finding(o.path, 0, "error", o.error) for o in report.outputs if o.error]
    if errors:
        raise PrintkitError("the build has errors; fix them before packing:\n"
                            + "\n".join(f"  {f.file}: page {f.page}: {f.what}" for f in errors))
    outputs = {o.path: o for o in report.outputs}
    with _staging(to) as staging:
        folders = [_product(material, outputs[material.output], report, programme, request.out, staging)
                   for material in plan_materials(programme)]
        _swap(staging, to)
    for warning in pack_warnings(programme):
        warn(warning)
    return [to / folder.relative_to(staging) for folder in folders]


@contextmanager
def _staging(to: Path):
    """A folder beside the pack to write the new one in, removed whatever happens (after the swap
    it holds the old pack). One pack at a time: staging left by a killed pack is removed first."""
    to.parent.mkdir(parents=True, exist_ok=True)
    with open(to.parent / f".{to.name}.lock", "w") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise PrintkitError(f"another printkit pack is writing {to}; wait for it to finish") from None
        for stale in to.parent.glob(f".{to.name}.*.part"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = staging_folder(to)
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, to: Path) -> None:
    """Put the new pack in place in one step: a reader sees the old pack or the new one, never a
    mix, and products no longer made leave with the old one."""
    if not to.exists():
        staging.rename(to)
        return
    if not all(_packed(entry) for entry in to.iterdir()):
        raise PrintkitError(f"{to} holds files that printkit pack did not write; pack into another folder "
                            "(--to) or empty it")
    if _LIBC.renameat2(AT_FDCWD, os.fsencode(staging), AT_FDCWD, os.fsencode(to), RENAME_EXCHANGE) != 0:
        error = ctypes.get_errno()
        raise PrintkitError(f"cannot put the new pack in place of {to}: {os.strerror(error)}")


def _packed(entry: Path) -> bool:
    """Whether printkit pack wrote this folder: a product's, or official/ holding only products'."""
    if entry.name == OFFICIAL and entry.is_dir() and not entry.is_symlink():
        return all(_packed(piece) for piece in entry.iterdir())
    return (entry / "SHA256SUMS").is_file() and (entry / "ticket.txt").is_file()


# Linux's renameat2 swaps two folders atomically (glibc 2.28 and later).
_LIBC = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2


OFFICIAL = "official"  # the pack's folder of the Code électoral's pieces


def folder_of(material: Material) -> str:
    """A product's folder in the pack: « cards-sport », or « official/ballot » for an official piece."""
    stem = material.output.removesuffix(".pdf")
    if material.product.official:
        return f"{OFFICIAL}/{stem.rpartition('/')[2]}"
    return stem.replace("/", "-")


def _product(material: Material, output: Output, report: Report, programme: Programme, out: Path, to: Path) -> Path:
    folder = to / folder_of(material)
    name = folder.name
    data = (out / material.output).read_bytes()
    _refuse_stale(material.output, data, programme)
    messages = messages_for(programme.campaign)
    files = {f"{name}.pdf": data,
             "ticket.txt": job_ticket(material, output, data, programme, f"{name}.pdf").encode(),
             "preflight.txt": preflight_report(material.output, report.findings, messages).encode()}
    files |= _accessible(material, programme, out, messages, files)
    files["SHA256SUMS"] = "".join(f"{hashlib.sha256(content).hexdigest()}  {file}\n"
                                  for file, content in files.items()).encode()
    for file, content in files.items():
        write_atomic(folder / file, content)
    return folder


def _accessible(material: Material, programme: Programme, out: Path, messages: Messages,
                files: dict[str, bytes]) -> dict[str, bytes]:
    """A kind's screen copy (the circulaire's, for the State's candidates' site), beside its print file, its
    preflight added to the folder's: refused, as any file, while the check finds an error in it."""
    from printkit.checks import check_pdf  # here: the checks import the pack's ticket rows

    kind = material.product.accessible
    if kind is None:
        return {}
    name = product(kind).materials([], whole=True)[0].output
    findings = check_pdf(out / name, name, programme)
    errors = [f for f in findings if f.level == "error"]
    if errors:
        raise PrintkitError(f"{name}: {errors[0].what}")
    report = files["preflight.txt"] + b"\n" + preflight_report(name, findings, messages).encode()
    return {Path(name).name: (out / name).read_bytes(), "preflight.txt": report}


def _refuse_stale(name: str, data: bytes, programme: Programme) -> None:
    """A file that does not show the programme as it is now never enters the pack: the build made
    every file moments ago, and this is the last look before the printer's."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = subject_findings(name, subject_of(pdf.docinfo), programme)
    if found:
        raise PrintkitError(f"{name}: {found[0].what}")


def job_ticket(material: Material, output: Output, data: bytes, programme: Programme, file: str) -> str:
    """The job ticket (fiche de fabrication) of one product, in the campaign's language: its printer's."""
    messages = messages_for(programme.campaign)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
        bleed = [float(v) for v in pdf.pages[0].obj.get("/BleedBox", pdf.pages[0].obj.TrimBox)]
        standard = pdfx_version(pdf) or messages("ticket.not_pdfx")
        intent = output_intent(pdf)
        subject = FileSubject.read(pdf.docinfo)
    finished = product(subject.kind).format_named(subject.format)
    quantity = material.product.copies(programme, material)
    printing, imprint = programme.campaign.printing, programme.campaign.imprint
    count = messages.plural("ticket.copies", quantity) if quantity else messages("ticket.quantity_unknown")
    profile = Path(printing.icc_profile).name
    rows = [
        (messages("ticket.publisher"), imprint.publisher),
        (messages("ticket.printer"), f"{imprint.printer_name}, {imprint.printer_address}"),
        (messages("ticket.product"), _product_line(material, finished.describe(output.pages, messages),
                                                   programme, messages)),
        (messages("ticket.file"), messages("ticket.file_value", file=file, standard=standard, profile=profile)),
        (messages("ticket.condition"), condition_text(intent, profile, messages)),
        *size_rows(finished, _trim_size(finished, trim), f"{pt_to_mm(trim[0] - bleed[0]):g}", messages),
        (messages("ticket.pages"), messages.plural(material.product.pages_message, output.pages)),
        (messages("ticket.paper"), product(subject.kind).paper_for(printing, messages)),
        (messages("ticket.binding"), messages(finished.binding)),
        (messages("ticket.cut"), messages("ticket.cut_value")),
        (messages("ticket.quantity"), count),
        (messages("ticket.delivery"), material.product.deadline(programme, messages) or delivery_text(programme, messages)),
        *_contact_rows(programme, messages),
    ]
    return messages("ticket.title") + "\n\n" + "".join(f"{label:<{LABEL_WIDTH}}{value}\n" for label, value in rows)


LABEL_WIDTH = 16  # a ticket's row: its label, padded to this many characters, then its value


def size_rows(finished: Format, trim: Size, bleed: str, messages: Messages) -> list[tuple[str, str]]:
    """The ticket's rows that state sizes, its finished size and its fold, from the format's data
    and ``trim``: the pack and the check (checks/ticket.py) both write them so."""
    return [(messages("ticket.trim"), finished.trim_text(trim, bleed, messages)),
            (messages("ticket.fold"), finished.fold_text(messages, trim))]


def _product_line(material: Material, described: str, programme: Programme, messages: Messages) -> str:
    """What the piece is, in the campaign's words: its format, and its theme or the whole programme."""
    if material.product.official:
        return messages("ticket.product_official", format=described)
    if material.theme is None:
        return messages("ticket.product_whole", format=described)
    return messages("ticket.product_theme", format=described, name=programme.theme(material.theme).name)


def delivery_text(programme: Programme, messages: Messages) -> str:
    """When the pieces must be delivered, and the proof to approve first. In France nothing may be
    handed out from midnight on the eve of a round (Code électoral L49): delivery the day before that."""
    campaign = programme.campaign
    first = min(campaign.rounds)
    if campaign.jurisdiction != "fr":
        return messages("ticket.delivery_before", election=_day(first, campaign.locale))
    eve = first - datetime.timedelta(days=1)
    return messages("ticket.delivery_silence", day=_day(eve - datetime.timedelta(days=1), campaign.locale),
                    eve=_day(eve, campaign.locale))


def _day(day: datetime.date, locale: str) -> str:
    return f"{weekday(day, locale)} {long_date(day, locale)}"


def _contact_rows(programme: Programme, messages: Messages) -> list[tuple[str, str]]:
    """Whom the printer calls: the campaign's contact, when identity.yaml gives one."""
    contact = programme.identity.contact
    reach = ", ".join(part for part in (contact.phone, contact.email) if part)
    return [(messages("ticket.contact"), f"{programme.campaign.imprint.publisher}, {reach}")] if reach else []


def condition_text(intent: Intent | None, profile: str, messages: Messages) -> str:
    """The printing condition the file is made for (its output intent), and, on the generic
    profile, the printer asked for its own."""
    if intent is None:
        return messages("ticket.condition_none")
    if intent.generic:
        return messages("ticket.condition_generic", condition=intent.condition, profile=profile)
    return messages("ticket.condition_value", condition=intent.condition, profile=profile)


def _trim_size(finished: Format, trim: list[float]) -> Size:
    """The finished size as the paper data states it ("148 × 210 mm", "5.5 × 8.5 in"), or read from
    the trim box for a format that sets its own size."""
    return finished.size or Size("", pt_to_mm(trim[2] - trim[0]), pt_to_mm(trim[3] - trim[1]))


def pack_warnings(programme: Programme) -> list[str]:
    """What the coordinator should settle with the printer before sending the package: the
    products whose quantity campaign.yaml does not give, and a generic CMYK profile."""
    missing = [m.product.quantity_key(m.output) for m in plan_materials(programme) if not m.product.copies(programme, m)]
    warnings = []
    if missing:
        warnings.append(f"no quantity in campaign.yaml (quantities:) for {len(missing)} products, whose job "
                        f"tickets say it is to be confirmed: {', '.join(missing)}")
    if generic_profile(programme.campaign.printing.icc_profile):
        warnings.append(f"the files are made for Ghostscript's generic CMYK profile ({Path(DEFAULT_ICC).name}, "
                        f"close to US SWOP): ask {programme.campaign.imprint.printer_name} for its profile "
                        "(FOGRA39 or FOGRA51 on a French sheet-fed press) and set printing.icc_profile")
    return warnings


def preflight_report(name: str, findings: list[Finding], messages: Messages) -> str:
    """What printkit check found in one file, or that it found nothing."""
    own = sorted(f for f in findings if f.file == name)
    lines = [f"{f.level}: page {f.page or '-'}: {f.what}" for f in own] or [messages("ticket.no_finding")]
    return f"printkit check — {name}\n\n" + "\n".join(lines) + "\n"
