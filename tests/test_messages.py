"""The message catalogues: wording by locale, plural rules, a campaign's replacements, clear errors."""

import pytest

from printkit.errors import PrintkitError
from printkit.messages import Messages, identifiers


def test_each_locale_gives_its_wording_and_its_plural_rules():
    assert Messages("fr-FR")("booklet.contents") == "Sommaire"
    assert Messages("en-US")("booklet.contents") == "Contents"
    # French treats 0 and 1 alike (n > 1); English does not (n != 1)
    assert Messages("fr-FR").plural("guarantees.count", 0) == "Notre garantie"
    assert Messages("en-US").plural("guarantees.count", 0) == "Our 0 guarantees"


def test_en_gb_falls_back_to_en_us_for_what_it_does_not_change():
    assert identifiers("en-GB") == identifiers("en-US")
    assert Messages("en-GB")("booklet.contents") == Messages("en-US")("booklet.contents")


def test_a_campaign_replaces_a_message_without_copying_a_template():
    assert Messages("en-US", {"booklet.contents": "In this booklet"})("booklet.contents") == "In this booklet"


def test_an_unknown_message_is_a_clear_error():
    with pytest.raises(PrintkitError, match="no message 'booklet.contnets' in the fr-FR catalogue"):
        Messages("fr-FR")("booklet.contnets")


def test_a_replacement_missing_a_value_is_a_clear_error():
    with pytest.raises(PrintkitError, match="does not take the values count"):
        Messages("en-US", {"guarantees.count": "Our %(number)s guarantees"}).plural("guarantees.count", 3)


def test_a_value_that_is_markup_makes_the_wording_markup_and_escapes_the_rest():
    from markupsafe import Markup

    filled = Messages("en-US", {"letter.place_date": "%(place)s & co, %(date)s"})(
        "letter.place_date", place="A <b>", date=Markup('<span class="day">May 1</span>'))
    assert isinstance(filled, Markup)
    assert filled == 'A &lt;b&gt; &amp; co, <span class="day">May 1</span>'


def test_a_count_is_written_as_the_locale_writes_numbers():
    assert Messages("fr-FR").plural("ticket.copies", 2000) == "2\u202f000 exemplaires"
    assert Messages("en-US").plural("ticket.copies", 2000) == "2,000 copies"
