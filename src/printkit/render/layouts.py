"""The Jinja2 environment: a designer's folder first, the built-in layouts second.

A designer's template can extend the built-in one it overrides with the ``!builtin/``
prefix, as Pelican's ``!theme/``: ``{% extends "!builtin/card/card.html" %}``.

Campaigns share and download layout folders: a template is data, not code. It is rendered
in Jinja's sandbox, which refuses Python's internals (``cycler.__init__.__globals__``) and
changes to the data, and may not touch a file or a module it reaches through the data.
A template that is a link to a file outside its folder is refused, as the fetcher refuses
such a stylesheet or image.
"""

import io
import types
from pathlib import Path, PurePath

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.errors import PrintkitError, Where
from printkit.programme import phrasing
from printkit.programme.model import Programme
from printkit.programme.pictograms import pictogram_character
from printkit.programme.urls import measure_url, programme_url, theme_url
from printkit.render import typography
from printkit.render.qr import QrCodes, qr_width

BUILTIN_PREFIX = "!builtin"
WORDING = ("_", "plural", "lang")  # the names render/html.py's wording() gives every layout
# What a template may print but never use: a Path's read_text() would open any file.
INERT = (PurePath, io.IOBase, types.ModuleType)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, and no attribute of a path, a file or a module."""

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        """Whether a template may read ``obj.attr``."""
        return not isinstance(obj, INERT) and super().is_safe_attribute(obj, attr, value)


class FolderLoader(jinja2.FileSystemLoader):
    """Templates from folders, none of them a link to a file outside its folder."""

    def get_source(self, environment, template: str):
        """The template's source, once its real path is known to lie inside a searched folder."""
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
            raise SecurityError(f"{template} leads to {real}, outside the layouts folders.")
        return source, filename, uptodate


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, kept by name and source checksum: each build, and each
    edit the preview lays out, makes a new environment, which would otherwise compile the booklet's
    templates again (0.09 s of its 0.15 s HTML). A template whose source changed is compiled anew."""

    def __init__(self):
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give the bucket the code kept for its template; Jinja discards it if the source changed."""
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code just compiled, with the checksum of its source."""
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


class Layouts:
    """Where templates and stylesheets are looked up, in order."""

    def __init__(self, programme: Path, designer: Path | None = None, qr_codes: QrCodes | None = None):
        if designer is not None and not designer.is_dir():
            raise PrintkitError(f"{designer}: no such layouts folder")
        self.builtin = BUILTIN_LAYOUTS
        self.folders = [folder.resolve() for folder in (designer, BUILTIN_LAYOUTS) if folder is not None]
        # The wording of the render under way (render/html.py's wording()): the environment's `_`,
        # `plural` and filters read it when called, so that the macros a layout imports without
        # context, which Jinja makes once and keeps, print in the locale of each render.
        self.wording: dict = {}
        self.environment = _environment(self.folders, self.builtin, qr_codes or QrCodes(), self.wording)
        self.programme = programme

    def asset(self, name: str) -> str:
        """The file URL of a stylesheet or image, from the first folder that has it."""
        for folder in self.folders:
            if (folder / name).is_file():
                return (folder / name).as_uri()
        raise PrintkitError(f"no layout file '{name}' in {', '.join(map(str, self.folders))}")

    def programme_file(self, picture) -> str:
        """The file URL of a picture named in identity.yaml (the loader checked that it exists)."""
        return (self.programme / picture.file).as_uri()

    def template_file(self, template: str) -> str:
        """Where a template is read from, as a user would name it in a message."""
        return _shown(self.environment.get_template(template).filename or template)

    def render(self, template: str, **context) -> str:
        """Render a template; a template error names the template file and line."""
        self.wording.update({name: context[name] for name in WORDING if name in context})
        try:
            return self.environment.get_template(template).render(asset=self.asset, programme_file=self.programme_file,
                                                                  **context)
        except jinja2.TemplateSyntaxError as error:
            raise PrintkitError(f"{Where(_shown(error.filename or error.name), error.lineno, 1)}: {error.message}")
        except jinja2.TemplateNotFound as error:
            raise PrintkitError(f"template '{error.name}' not found in {', '.join(map(str, self.folders))}")
        except SecurityError as error:
            raise PrintkitError(f"{_template_frame(error)}: SecurityError: {error} "
                                "A layout is data: it may only read what printkit gives it.") from None
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as error:
            raise PrintkitError(f"{_template_frame(error)}: {type(error).__name__}: {error}") from None


def _environment(folders: list[Path], builtin: Path, qr_codes: QrCodes, wording: dict) -> Sandbox:
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({BUILTIN_PREFIX: FolderLoader(builtin)}, delimiter="/"),
        FolderLoader(folders),
    ])
    environment = Sandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, bytecode_cache=COMPILED)
    environment.filters.update(_locale_filters(wording), css_string=css_string)
    environment.globals.update(qr=qr_codes, qr_width=qr_width, icon=pictogram_character,
                               _=lambda identifier, **values: wording["_"](identifier, **values),
                               plural=lambda identifier, count, **values:
                               wording["plural"](identifier, count, **values))
    return environment


def _locale_filters(wording: dict) -> dict:
    """The typography and date filters, each in the locale of the render under way."""
    def in_locale(function):
        return lambda value, *arguments: function(value, wording["lang"], *arguments)

    typeset, body = in_locale(typography.typeset), in_locale(typography.body_text)
    # fr and fr_body: the names designers' layouts were written with, before typography followed the locale
    return {"typeset": typeset, "body": body, "fr": typeset, "fr_body": body,
            "long_date": in_locale(typography.long_date), "short_date": in_locale(typography.short_date),
            "date_parts": in_locale(typography.date_parts),
            "raised_ordinals": in_locale(typography.raised_ordinals),
            "weekday": in_locale(typography.weekday), "dated_weekday": in_locale(typography.dated_weekday),
            "paired_dates": in_locale(typography.paired_dates),
            "lead_phrase": phrasing.lead_phrase, "unbroken_tail": typography.unbroken_tail,
            "unbroken_clause": typography.unbroken_clause}


def css_string(text: str) -> Markup:
    """A text as a quoted CSS string, for a stylesheet's ``content:`` in a layout's ``<style>``: the
    HTML parser does not decode references there, so the text is unescaped, then CSS-escaped."""
    plain = Markup(text).unescape() if isinstance(text, Markup) else text
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n' else c for c in plain)
    return Markup(f'"{escaped}"')


def _template_frame(error: BaseException) -> Where:
    """The innermost template line on the traceback, which Jinja2 maps back to the source."""
    where = Where("template")
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".css", ".j2")):
            where = Where(_shown(filename), tb.tb_lineno, 1)
        tb = tb.tb_next
    return where


def _shown(filename: str) -> str:
    try:
        return str(Path(filename).resolve().relative_to(Path.cwd()))
    except ValueError:
        return filename


def url_helpers(programme: Programme, material: str) -> dict:
    """The functions templates call to get the address a QR code encodes."""
    return {
        "measure_url": lambda measure: measure_url(programme, measure, material),
        "theme_url": lambda theme: theme_url(programme, theme, material),
        "programme_url": lambda: programme_url(programme, material),
    }
