"""Printed wording, from gettext message catalogues read with Babel.

Every word a piece prints that is not the campaign's own data comes from a catalogue,
``locales/<locale>/LC_MESSAGES/printkit.po``, by a dotted identifier such as
``booklet.contents``: layouts call ``_("booklet.contents")``, Python calls a ``Messages``.
Identifiers rather than English sentences as msgids, so that a campaign can replace any
wording by a short, stable name in campaign.yaml (``messages:``) without copying a template.

A catalogue may leave a message to the one it falls back to: en-GB gives only what differs
from en-US. The catalogues are read from their .po files when first asked for, so that the
repository holds only text.
"""

import functools
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.numbers import format_decimal
from babel.messages.pofile import read_po
from babel.support import Translations
from markupsafe import Markup, escape

from printkit.errors import PrintkitError

LOCALES_FOLDER = Path(__file__).resolve().parent / "locales"
DOMAIN = "printkit"
# A catalogue that gives only what differs from another.
FALLBACKS = {"en-GB": "en-US"}


def catalogue_path(locale: str) -> Path:
    """The .po file of a BCP 47 locale such as ``fr-FR``."""
    return LOCALES_FOLDER / locale.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def identifiers(locale: str) -> set[str]:
    """The messages a locale's catalogue gives, its fallback's included."""
    own = {_identifier(message.id) for message in _catalogue(locale) if message.id and any(_wordings(message))}
    fallback = FALLBACKS.get(locale)
    return own | (identifiers(fallback) if fallback else set())


def _identifier(msgid: str | tuple[str, str]) -> str:
    """A message's identifier: a plural message's msgid is a pair, its singular and plural ids alike."""
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _wordings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@functools.cache
def _catalogue(locale: str):
    with open(catalogue_path(locale), "rb") as po:
        return read_po(po, locale=locale.replace("-", "_"), domain=DOMAIN)


@functools.cache
def _translations(locale: str) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, _catalogue(locale))
    buffer.seek(0)
    translations = Translations(buffer, domain=DOMAIN)
    if locale in FALLBACKS:
        translations.add_fallback(_translations(FALLBACKS[locale]))
    return translations


class Messages:
    """The wording of one locale, with the campaign's own replacements (campaign.yaml ``messages:``)."""

    def __init__(self, locale: str, overrides: dict[str, str] | None = None):
        self.locale = locale
        self.overrides = overrides or {}
        self.translations = _translations(locale)

    def __call__(self, identifier: str, **values) -> str:
        """A message's wording, its ``%(name)s`` placeholders filled with ``values``."""
        return self._filled(identifier, self._text(identifier, self.translations.gettext), values)

    def plural(self, identifier: str, count: int, **values) -> str:
        """A message whose wording follows ``count`` by the locale's plural rules; ``%(count)s`` is the
        count written as the locale writes numbers (« 2 000 », "2,000")."""
        text = self._text(identifier, lambda msgid: self.translations.ngettext(msgid, msgid, count))
        return self._filled(identifier, text, {"count": self.number(count), **values})

    def number(self, value: int) -> str:
        """A number as the locale writes it, its thousands grouped (« 12 345 », "12,345")."""
        return format_decimal(value, locale=self.locale.replace("-", "_"))

    def _text(self, identifier: str, lookup) -> str:
        text = self.overrides.get(identifier) or lookup(identifier)
        if text == identifier:
            raise PrintkitError(f"no message '{identifier}' in the {self.locale} catalogue")
        return text

    def _filled(self, identifier: str, text: str, values: dict) -> str:
        # a value that is markup (a date in its no-break span) makes the wording markup, its own text escaped
        if any(isinstance(value, Markup) for value in values.values()):
            text = escape(text)
        try:
            return text % values if values else text
        except (KeyError, ValueError, TypeError) as error:
            raise PrintkitError(f"message '{identifier}' ({self.locale}): its wording '{text}' does not take "
                                f"the values {', '.join(sorted(values))}: {error}") from None


def interface_messages() -> Messages:
    """The wording of what printkit tells its user, the build summary: English, whatever the campaign's locale."""
    from printkit.products import products_wording  # the registry imports this module's users

    return Messages("en-US", products_wording("en-US"))


def messages_for(campaign) -> Messages:
    """The wording a campaign's pieces print in: its locale's catalogue, the messages of product kinds
    registered outside printkit, and the campaign's replacements."""
    from printkit.products import products_wording  # the registry imports this module's users

    return Messages(campaign.locale, products_wording(campaign.locale) | dict(campaign.messages))
