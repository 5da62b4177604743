"""The printer's package. For each product, what a coordinator uploads or mails to a
printer: the PDF/X file, a job ticket, the preflight report and SHA-256 checksums."""

import hashlib
import io
import shutil
import tempfile
from pathlib import Path

import pikepdf

from printkit.errors import Finding, PrintkitError
from printkit.pipeline.build import BuildRequest, Output, Report, build
from printkit.pipeline.plan import Material, plan_materials
from printkit.programme.loader import read_programme
from printkit.programme.model import Programme
from printkit.units import pt_to_mm

# Fold and stitching of each format, by the start of the format's name in the build summary.
FINISHING = {
    "A5 booklet": ("pli au milieu", "piqûre à cheval, 2 agrafes au pli"),
    "A5 flyer": ("aucun", "aucune"),
    "A4 tri-fold": ("pli roulé en 3 volets, fermé 99 × 210 mm (DL), volet rentrant de 97 mm", "aucune"),
    "A4 folded to A5": ("pli simple au milieu, A4 ouvert, A5 fermé", "aucune"),
    "A6 card": ("aucun", "aucune"),
}


def pack(request: BuildRequest, to: Path) -> list[Path]:
    """Build what changed, then write one folder per product under ``to``; return the folders.

    Refuses while campaign.yaml names no printer (the files are proofs) or while any file
    has an error finding: a package is only made of files a printer can run.
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
    return [_product(material, outputs[material.output], report, programme, request.out, to)
            for material in plan_materials(programme)]


def _product(material: Material, output: Output, report: Report, programme: Programme, out: Path, to: Path) -> Path:
    name = material.output.removesuffix(".pdf").replace("/", "-")
    data = (out / material.output).read_bytes()
    files = {f"{name}.pdf": data,
             "ticket.txt": job_ticket(material, output, data, programme, f"{name}.pdf").encode(),
             "preflight.txt": preflight_report(material.output, report.findings).encode()}
    files["SHA256SUMS"] = "".join(f"{hashlib.sha256(content).hexdigest()}  {file}\n"
                                  for file, content in files.items()).encode()
    return _write_folder(to / name, files)


def job_ticket(material: Material, output: Output, data: bytes, programme: Programme, file: str) -> str:
    """The job ticket (fiche de fabrication) of one product, in French for the printer."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
        bleed = [float(v) for v in pdf.pages[0].obj.get("/BleedBox", pdf.pages[0].obj.TrimBox)]
        standard = str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion", "")) or "PDF (pas PDF/X)"
    fold, stitching = next(v for k, v in FINISHING.items() if output.format.startswith(k))
    product = material.output.removesuffix(".pdf")
    quantity = programme.campaign.quantity(product)
    printing = programme.campaign.printing
    rows = [
        ("Commanditaire", programme.campaign.imprint.publisher),
        ("Imprimeur", f"{programme.campaign.imprint.printer_name}, {programme.campaign.imprint.printer_address}"),
        ("Produit", f"{product} — {output.format}"),
        ("Fichier", f"{file} ({standard}, profil {Path(printing.icc_profile).name})"),
        ("Format fini", f"{pt_to_mm(trim[2] - trim[0]):.0f} × {pt_to_mm(trim[3] - trim[1]):.0f} mm"
                        f" (fond perdu {pt_to_mm(trim[0] - bleed[0]):g} mm, TrimBox et BleedBox dans le PDF)"),
        ("Pages", f"{output.pages} pages du PDF, quadrichromie recto verso"),
        ("Papier suggéré", printing.paper_for(material.kind)),
        ("Pli", fold),
        ("Reliure", stitching),
        ("Coupe", "au format fini, sans traits de coupe dans le fichier (les boîtes du PDF les donnent)"),
        ("Quantité", f"{quantity} exemplaires" if quantity else "à préciser (quantities dans campaign.yaml)"),
    ]
    return "Fiche de fabrication\n\n" + "".join(f"{label:<16}{value}\n" for label, value in rows)


def preflight_report(name: str, findings: list[Finding]) -> str:
    """What printkit check found in one file, or that it found nothing."""
    own = sorted(f for f in findings if f.file == name)
    lines = [f"{f.level}: page {f.page or '-'}: {f.what}" for f in own] or ["aucune anomalie"]
    return f"printkit check — {name}\n\n" + "\n".join(lines) + "\n"


def _write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    """Write the folder's files beside it, then swap it into place: never a half-written package."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".part"))
    for file, content in files.items():
        (staging / file).write_bytes(content)
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old)
    else:
        staging.rename(folder)
    return folder
