"""The command line: `printkit new | import | export | build | check | pack | letter | serve`."""

import json
import logging
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from printkit.builtin import BUILTIN_FONTS
from printkit import __version__
from printkit.newcampaign import locales, new_campaign
from printkit.pipeline.build import BuildRequest, build
from printkit.products import products
from printkit.programme.export import programme_csv, programme_json, programme_markdown
from printkit.programme.importer import import_programme
from printkit.programme.loader import load_programme, read_programme

log = logging.getLogger("printkit")


class _Handler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info:  # a bug (the preview server logs it and goes on): its traceback belongs in the log
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        click.echo(message, err=True)


@click.group()
@click.version_option(__version__)
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="The campaign folder: programme/, and layouts/ when it overrides built-in layouts.")
@click.pass_context
def cli(context: click.Context, root: Path) -> None:
    """Turn the campaign programme in programme/ into print-ready PDFs."""
    log.handlers[:] = [_Handler()]
    log.setLevel(logging.INFO)
    log.propagate = False
    context.obj = root.resolve()


@cli.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--locale", type=click.Choice(locales()), default="fr-FR", show_default=True,
              help="The language and region of the campaign, and of the example data.")
def new_command(folder: Path, locale: str) -> None:
    """Start a campaign in FOLDER: a placeholder programme that builds at once, and an example letter."""
    new_campaign(folder, locale)
    click.echo(f"created {folder} ({locale}): programme/ with placeholder themes and measures, "
               f"and an example letter in letters/")
    click.echo("next:")
    click.echo(f"  1. edit {folder / 'programme' / 'campaign.yaml'} (every key is explained in it), "
               "then themes.yaml, programme.yaml and measures.yaml")
    click.echo(f"  2. cd {folder} && printkit build     # the PDFs, into output/, checked")
    click.echo("  3. printkit serve                   # a live preview on http://127.0.0.1:8000/")


@cli.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(root: Path, source: Path) -> None:
    """Convert the programme in SOURCE into programme/ YAML (never campaign.yaml).

    SOURCE's extension says what it is (docs/data.md shows each with an example):

    \b
    .csv, .xlsx  a spreadsheet, one row per measure, under a header row:
                 number, section, title, themes (required), details,
                 priority, short, in any order; themes separated by ';',
                 details one per line inside their cell
    .md          a Markdown document: '## ' headings for sections, a
                 numbered list of measures under each, an item's title
                 ending with [themes: Label; Label], optionally
                 [priority: 1] [short: Short title], details as bullets
    otherwise    the website's programme page, exported as text

    Theme labels are those of themes.yaml; a new one is added to it. Every problem is reported at once,
    and nothing is written while there is one.
    """
    new = import_programme(source, root / "programme")
    for label in new:
        log.warning("new theme '%s': give it a colour in programme/campaign.yaml", label)
    click.echo(f"imported {source} into {root / 'programme'}")


@cli.command()
@click.option("--json", "form", flag_value="json", help="Print the programme as JSON.")
@click.option("--csv", "form", flag_value="csv",
              help="Print the measures as a CSV spreadsheet `printkit import` reads.")
@click.option("--markdown", "form", flag_value="markdown",
              help="Print the measures as a Markdown document `printkit import` reads.")
@click.pass_obj
def export(root: Path, form: str | None) -> None:
    """Print the loaded programme on stdout, as JSON, CSV or Markdown."""
    if form is None:
        raise click.UsageError("give --json, --csv or --markdown")
    programme = load_programme(root / "programme")
    if form == "json":
        click.echo(json.dumps(programme_json(programme), ensure_ascii=False, indent=2))
    else:
        click.echo((programme_csv if form == "csv" else programme_markdown)(programme), nl=False)


def _selection(command):
    """The products and themes a command builds: ``build`` and ``serve`` take the same."""
    products_argument = click.argument("which", default="all",
                                       type=click.Choice(["all", *(kind.name for kind in products() if kind.built)]))
    theme_option = click.option("--theme", "themes", multiple=True,
                                help="Only this theme's leaflet and card (its slug); may be repeated.")
    return products_argument(theme_option(command))


@cli.command("build")
@_selection
@click.option("--marks", is_flag=True, help="Crop marks, for a copy shop that trims by hand.")
@click.option("--pdfx", type=click.Choice(["x-4", "x-1a"]), help="PDF/X variant, with a CMYK output intent [default: x-4 once campaign.yaml names a printer].")
@click.option("--layouts", type=click.Path(file_okay=False, path_type=Path),
              help="A designer's layouts folder, used before the built-in layouts.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: output/].")
@click.option("--strict", is_flag=True, help="Fail on any warning (WeasyPrint's, the data's, a proof).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes [default: one per core].")
@click.option("--force", is_flag=True, help="Rebuild everything, even what has not changed.")
@click.pass_obj
def build_command(root: Path, which: str, themes: tuple[str, ...], marks: bool, pdfx: str | None,
                  layouts: Path | None, out: Path | None, strict: bool, jobs: int | None, force: bool) -> None:
    """Build the booklet, the leaflets and the cards into output/, then check them."""
    request = BuildRequest(root, out or root / "output", which, themes, marks, pdfx, layouts, strict, jobs or 0, force)
    console = Console(stderr=True)
    # no bar where stderr is not a terminal: it would draw nothing but a blank line before the messages
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("building", total=None)
        report = build(request, progress=lambda output: _progress(bar, task, output))
    _summary(report.outputs, report.skipped)
    for why in report.absent:
        click.echo(why)
    for output in report.outputs:
        if output.error:
            click.echo(f"error: {output.error}", err=True)
    _findings(report.findings)
    failed = [o for o in report.outputs if o.error]
    if report.failed(strict):
        raise click.ClickException(f"{len(failed)} of {len(report.outputs)} files failed, "
                                   f"{_count(report.findings, 'error')} errors, {_count(report.findings, 'warning')} warnings")


@cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_obj
def check_command(root: Path, paths: tuple[Path, ...], as_json: bool, strict: bool) -> None:
    """Preflight PDFs (files or folders, default output/) against the programme and the printer's rules."""
    from printkit.checks import check_outputs

    programme, warnings = read_programme(root / "programme")
    findings = check_outputs(list(paths) or [root / "output"], programme, warnings, BUILTIN_FONTS)
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        _findings(findings)
    levels = {"error", "warning"} if strict else {"error"}
    if any(f.level in levels for f in findings):
        raise click.ClickException(f"{_count(findings, 'error')} errors, {_count(findings, 'warning')} warnings")


@cli.command("pack")
@click.option("--to", type=click.Path(file_okay=False, path_type=Path), help="Package folder [default: pack/].")
@click.option("--pdfx", type=click.Choice(["x-4", "x-1a"]), help="PDF/X variant [default: x-4].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: output/].")
@click.pass_obj
def pack_command(root: Path, to: Path | None, pdfx: str | None, out: Path | None) -> None:
    """Build, then gather each product's PDF/X file, job ticket, preflight report and checksums."""
    from printkit.pipeline.pack import pack

    folders = pack(BuildRequest(root, out or root / "output", pdfx=pdfx), to or root / "pack",
                   warn=lambda message: click.echo(f"warning: {message}", err=True))
    for folder in folders:
        click.echo(str(folder))


@cli.command("letter")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--recipients", type=click.Path(dir_okay=False, path_type=Path),
              help="Mail merge: a UTF-8 CSV with nom, adresse, complement, code_postal, ville (and state, in the US).")
@click.option("--split", is_flag=True, help="With --recipients, also one PDF per recipient, for email.")
@click.option("--register", "show_register", is_flag=True,
              help="Instead of building: which letters in letters/ cite which measures.")
@click.option("--json", "as_json", is_flag=True, help="With --register, print JSON.")
@click.option("--layouts", type=click.Path(file_okay=False, path_type=Path),
              help="A designer's layouts folder, used before the built-in layouts.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: output/].")
@click.option("--strict", is_flag=True, help="Fail on any warning.")
@click.pass_obj
def letter_command(root: Path, source: Path | None, recipients: Path | None, split: bool, show_register: bool,
                   as_json: bool, layouts: Path | None, out: Path | None, strict: bool) -> None:
    """Lay out LETTER.md as a letter citing measures (A4 or US Letter: printing.paper), into output/letters/; or show the letters register."""
    programme, warnings = read_programme(root / "programme")
    if show_register:
        _register(root, programme, as_json)
        return
    if source is None or (split and recipients is None):
        raise click.UsageError("give LETTER.md (and --recipients FILE.csv for --split), or --register")
    _letter(BuildRequest(root, out or root / "output", layouts=layouts, strict=strict), programme, warnings,
            source, recipients, split)


def _letter(request: BuildRequest, programme, warnings, source: Path, recipients: Path | None, split: bool) -> None:
    from printkit.letters.postal import home_country
    from printkit.letters.recipients import read_recipients
    from printkit.letters.render import make_letter
    from printkit.letters.source import read_letter
    from printkit.pipeline.build import output_lock
    from printkit.programme.datacheck import data_findings

    fonts = BUILTIN_FONTS
    letter = read_letter(source, programme, fonts)
    home = home_country(programme.campaign.jurisdiction)
    rows = read_recipients(recipients, letter.fields, fonts, home, body_fields=letter.body_fields) if recipients else None
    if rows is None and letter.fields:
        raise click.UsageError(f"{source}: the greeting uses {', '.join(sorted(letter.fields))}: give --recipients")
    with output_lock(request.out):
        result = make_letter(letter, request, programme, rows, split)
    main, *split_files = result.files.items()
    click.echo(f"wrote {request.out / main[0]} ({main[1]} pages)")
    if split_files:
        _report_split(request.out / Path(main[0]).with_suffix(""), len(split_files), len(result.removed))
    findings = data_findings(programme, warnings) + result.findings
    _findings(findings)
    levels = {"error", "warning"} if request.strict else {"error"}
    if any(f.level in levels for f in findings):
        raise click.ClickException(f"{_count(findings, 'error')} errors, {_count(findings, 'warning')} warnings")


def _report_split(folder: Path, written: int, removed: int) -> None:
    """What a split wrote, and how many letters of an earlier split it removed."""
    click.echo(f"wrote {written} letters, one per recipient, in {folder}")
    if removed:
        whose = "recipients" if removed > 1 else "a recipient"
        click.echo(f"removed {removed} letter{'s' if removed > 1 else ''} of {whose} no longer in the list")


def _register(root: Path, programme, as_json: bool) -> None:
    from printkit.letters.register import read_letters, register

    data = register(read_letters(root / "letters", programme, BUILTIN_FONTS), programme)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title="letters register")
    for column in ("letter", "date", "to", "measures cited"):
        table.add_column(column)
    for row in data["letters"]:
        table.add_row(row["letter"], row["date"], row["to"], ", ".join(map(str, row["measures"])))
    Console(width=160).print(table)
    click.echo(f"measures no letter cites ({len(data['uncited'])}): {', '.join(map(str, data['uncited']))}")


@cli.command("serve")
@_selection
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free).")
@click.option("--layouts", type=click.Path(file_okay=False, path_type=Path),
              help="A designer's layouts folder, used before the built-in layouts.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: output/].")
@click.option("--allow-host", "allowed_hosts", metavar="NAME", multiple=True,
              help="Also answer requests for this host name, without the port (repeatable); "
                   "127.0.0.1, localhost and [::1] always are.")
@click.pass_obj
def serve_command(root: Path, which: str, themes: tuple[str, ...], host: str, port: int, layouts: Path | None,
                  out: Path | None, allowed_hosts: tuple[str, ...]) -> None:
    """Preview the real printed pages in a browser, rebuilt on every save (only the cards, say,
    while a designer works on them: each save then waits for those alone)."""
    from printkit.preview.serve import serve

    serve(BuildRequest(root, out or root / "output", which, themes, layouts=layouts), host, port, allowed_hosts)


def _count(findings, level: str) -> int:
    return sum(f.level == level for f in findings)


def _findings(findings) -> None:
    if not findings:
        click.echo("check: no findings")
        return
    table = Table(title="printkit check")
    for column in ("level", "file", "page", "what"):
        table.add_column(column)
    for finding in sorted(findings, key=lambda f: (f.level != "error", f.file, f.page)):
        colour = "red" if finding.level == "error" else "yellow"
        table.add_row(f"[{colour}]{finding.level}[/{colour}]", finding.file, str(finding.page or ""), finding.what)
    Console(width=160).print(table)


def _progress(bar: Progress, task, output) -> None:
    state = "[red]failed[/red]" if output.error else "[green]done[/green]"
    bar.console.print(f"{state} {output.path}", highlight=False)
    bar.update(task, advance=1, description=output.path)


def _summary(outputs, skipped: list[str]) -> None:
    table = Table(title="printkit build")
    for column in ("file", "format", "pages", "size", "built", "notes"):
        table.add_column(column, justify="right" if column in ("pages", "size") else "left")
    for output in outputs:
        if output.error:
            table.add_row(output.path, "[red]FAILED[/red]", "", "", "", output.error)
        else:
            table.add_row(output.path, output.format, str(output.pages), f"{output.size / 1024:.0f} KiB",
                          "rebuilt" if output.rebuilt else "unchanged", "; ".join(output.notes))
    for path in skipped:
        table.add_row(path, "not built", "", "", "skipped", "0 copies in campaign.yaml's quantities")
    Console(stderr=False, width=160).print(table)


def main() -> None:
    """Entry point of the `printkit` command."""
    cli(prog_name="printkit")

