"""The programme as typed, immutable data: what every later stage reads."""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cached_property

from printkit.programme.phrasing import lead_phrase
from printkit.programme.pictograms import pictogram_character


@dataclass(frozen=True)
class Colour:
    """A print colour in CMYK percentages (measured as printed by ``printcolour``), with a naive screen rendering."""

    c: float
    m: float
    y: float
    k: float

    @property
    def css(self) -> str:
        """The colour as WeasyPrint's ``device-cmyk()``, so it prints as given."""
        return "device-cmyk({:g} {:g} {:g} {:g})".format(*(v / 100 for v in self.cmyk))

    @property
    def cmyk(self) -> tuple[float, float, float, float]:
        """The four ink percentages."""
        return (self.c, self.m, self.y, self.k)

    def tint(self, share: float) -> "Colour":
        """The colour screened to ``share`` of its inks: a light ground of the same hue."""
        return Colour(*(round(ink * share, 1) for ink in self.cmyk))

    @property
    def rgb(self) -> tuple[int, int, int]:
        """A naive screen rendering, for hues and the export; ``printcolour`` measures through the ICC profile."""
        white = 1 - self.k / 100
        return tuple(round(255 * (1 - ink / 100) * white) for ink in (self.c, self.m, self.y))

    @property
    def hex(self) -> str:
        """The screen rendering as ``#rrggbb``."""
        return "#{:02x}{:02x}{:02x}".format(*self.rgb)

    @property
    def hue(self) -> float:
        """The hue angle in degrees of the screen rendering (0 red, 120 green, 240 blue)."""
        r, g, b = (v / 255 for v in self.rgb)
        high, low = max(r, g, b), min(r, g, b)
        if high == low:
            return 0.0
        span = high - low
        if high == r:
            return (60 * (g - b) / span) % 360
        if high == g:
            return 60 * (b - r) / span + 120
        return 60 * (r - g) / span + 240

    @property
    def saturation(self) -> float:
        """How far the screen rendering is from grey, 0 to 1."""
        high, low = max(self.rgb), min(self.rgb)
        return 0.0 if high == 0 else (high - low) / high


@dataclass(frozen=True)
class Theme:
    """One of the programme's themes, with the colour used for it on every material, and optionally
    its pictogram (a name from the shipped set: programme/pictograms.py) and a key figure."""

    slug: str
    label: str
    colour: Colour
    short: str = ""
    icon: str = ""
    figure: str = ""  # the key figure itself (« 1 800 »), which figure_label says what it counts
    figure_label: str = ""

    @property
    def name(self) -> str:
        """The short name shown on theme labels, or the full label when none is given."""
        return self.short or self.label

    @property
    def pictogram(self) -> str:
        """The character the pictogram font draws for the theme's icon; "" without one."""
        return pictogram_character(self.icon) if self.icon else ""


FLAGSHIP_CHARS = 220  # the longest title a flagship place (card front, cover, highlights) quotes in full


@dataclass(frozen=True)
class Measure:
    """A numbered measure of the programme."""

    number: int
    title: str
    details: tuple[str, ...]
    themes: tuple[str, ...]
    section: str
    priority: int | None = None  # the campaign's flagship measures lead cards, covers and highlights
    short: str = ""  # the title printed where a flagship's place is short, when the campaign gives one

    @property
    def flagship(self) -> str:
        """The title a flagship place quotes: the short title, else the title; one longer than such a
        place holds is quoted by its lead phrase, whole words that say the action, when the place holds
        that, or else cut at a word with « … »."""
        if self.short or len(self.title) <= FLAGSHIP_CHARS:
            return self.short or self.title
        lead = lead_phrase(self.title)[0].rstrip(" ,;:")
        if lead != self.title and len(lead) <= FLAGSHIP_CHARS:
            return lead
        return self.title[:FLAGSHIP_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-") + "…"


@dataclass(frozen=True)
class Section:
    """A heading of the programme and the numbers of the measures under it, in order."""

    title: str
    measures: tuple[int, ...]


@dataclass(frozen=True)
class Imprint:
    """Who prints and who publishes, for the legal mentions the jurisdiction requires (docs/law.md)."""

    printer_name: str
    printer_address: str
    publisher: str  # in the US the committee that paid, in the UK the promoter
    publisher_address: str = ""  # required in the UK
    on_behalf_of: str = ""  # UK: the person the promoter publishes for, when another
    on_behalf_of_address: str = ""

    @property
    def complete(self) -> bool:
        """Whether the printer is known, so that the documents can be final and not proofs."""
        return bool(self.printer_name and self.printer_address)


@dataclass(frozen=True)
class UrlTemplates:
    """Where the QR codes lead: one template per kind of target, plus tracking parameters."""

    programme: str
    measure: str
    theme: str
    tracking: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PrintSettings:
    """The printer's file specification."""

    bleed_mm: float
    safe_mm: float
    icc_profile: str
    build_date: datetime.date
    paper: str = "iso"  # the paper family: iso or us
    stock: tuple[tuple[str, str], ...] = ()  # (product kind, paper stock) given in campaign.yaml (products: paper_for)


@dataclass(frozen=True)
class Campaign:
    """Who publishes the programme, for which election, and how it is printed."""

    name: str
    city: str
    election: str
    rounds: tuple[datetime.date, ...]
    website: str
    urls: UrlTemplates
    imprint: Imprint
    printing: PrintSettings
    brand: Colour
    accent: Colour
    quantities: tuple[tuple[str, int], ...] = ()  # (product, copies): "booklet", "leaflets/<slug>", "cards/<slug>"
    locale: str = "fr-FR"  # BCP 47
    jurisdiction: str = "fr"
    messages: tuple[tuple[str, str], ...] = ()  # (message identifier, wording) replacing the catalogue's
    seats: int | None = None  # the municipal council's seats (CGCT L2121-2): candidates.yaml is counted against them
    community_seats: int | None = None  # the commune's seats on its intercommunal council, where it has some
    population: int | None = None  # inhabitants: under 1,000 a list may run two candidates short (Code électoral L252)
    voters: int | None = None  # registered voters, from which ballot and circulaire quantities follow

    def quantity(self, product: str) -> int | None:
        """How many copies of a product to print, when campaign.yaml says."""
        return dict(self.quantities).get(product)


@dataclass(frozen=True)
class Photo:
    """A picture beside the programme (a photo, or the logo), by file name, with a digest of its bytes."""

    file: str
    digest: str
    credit: str = ""
    caption: str = ""


@dataclass(frozen=True)
class Contact:
    """How to reach the campaign; every part optional."""

    email: str = ""
    phone: str = ""
    social: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.email or self.phone or self.social)


@dataclass(frozen=True)
class Meeting:
    """A public meeting of the campaign."""

    day: datetime.date
    time: str
    place: str
    speakers: tuple[str, ...] = ()  # who speaks, as a meeting poster announces them


@dataclass(frozen=True)
class Identity:
    """The campaign's face (identity.yaml): all optional, and the layouts are designed for absence."""

    slogan: str = ""
    head_of_list: str = ""
    logo: Photo | None = None
    photos: tuple[Photo, ...] = ()
    contact: Contact = Contact()
    procuration: str = ""
    meetings: tuple[Meeting, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One person on the list, as the declaration of candidacy names them."""

    first_name: str
    last_name: str
    sex: str  # "F" or "M": the list alternates them (Code électoral L264)
    nationality: str = ""  # another EU state's, printed beside the name (LO247-1); "" for a French candidate

    @property
    def name(self) -> str:
        """First name then last name, as messages and the ballot's names read."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Candidates:
    """The list in its declared order, which is the order printed (candidates.yaml). The seats it is
    counted against, and the registered voters, are campaign.yaml's (``Campaign.seats``, ``voters``…)."""

    municipal: tuple[Candidate, ...]
    community: tuple[Candidate, ...] = ()  # the community-council list, where the ballot carries one (L273-9)

    def supplementary(self, seats: int) -> tuple[Candidate, ...]:
        """The candidates past the seats (up to two, L260): R117-5 leaves them out when sizing the ballot."""
        return self.municipal[seats:]


@dataclass(frozen=True)
class Programme:
    """The whole programme: campaign, introduction, guarantees, themes, sections, measures."""

    campaign: Campaign
    title: str
    introduction: tuple[str, ...]
    guarantees: tuple[str, ...]
    themes: tuple[Theme, ...]
    sections: tuple[Section, ...]
    measures: tuple[Measure, ...]
    identity: Identity = Identity()
    candidates: Candidates | None = None  # None while programme/candidates.yaml does not exist

    @cached_property
    def _by_number(self) -> dict[int, Measure]:
        return {m.number: m for m in self.measures}

    def measure(self, number: int) -> Measure:
        """The measure with this number."""
        return self._by_number[number]

    def theme(self, slug: str) -> Theme:
        """The theme with this slug."""
        return next(theme for theme in self.themes if theme.slug == slug)

    def measures_of(self, slug: str) -> tuple[Measure, ...]:
        """The measures that carry a theme, in programme order."""
        return tuple(m for m in self.measures if slug in m.themes)

    def leading(self, slug: str | None = None) -> tuple[Measure, ...]:
        """The measures (of a theme, or all) in the order the campaign leads with: by priority, then
        number. For the whole programme, each theme's own lead (``lead_of``) comes after the
        priorities, theme by theme: the first few then show the programme's breadth, not its first
        section (the circulaire's, the booklet's and the general card's flagships)."""
        by_priority = tuple(sorted(self.measures_of(slug) if slug else self.measures,
                                   key=lambda m: (m.priority is None, m.priority or 0, m.number)))
        if slug:
            return by_priority
        chosen = [m for m in by_priority if m.priority is not None]
        return tuple(dict.fromkeys([*chosen, *self.theme_leads(), *by_priority]))

    def theme_leads(self) -> tuple[Measure, ...]:
        """Each theme's lead (``lead_of``), theme by theme: what its card's front quotes."""
        return tuple(self.lead_of(t.slug)[0] for t in self.themes if self.measures_of(t.slug))

    def lead_of(self, slug: str) -> tuple[Measure, ...]:
        """A theme's measures in the order its own pieces lead with: first the measures whose first
        theme is this one, the theme they are mainly about, so that a piece never features another
        theme's priority that merely carries it; then the others. Each group by the campaign's
        priorities, then by number."""
        return tuple(sorted(self.measures_of(slug), key=lambda m: (m.themes[0] != slug, m.priority is None,
                                                                   m.priority or 0, m.number)))

    def listed_for(self, slug: str, measures: tuple[Measure, ...] | None = None) -> tuple[Measure, ...]:
        """A theme's measures (or those of ``measures``) in the order its pieces list them: its own
        first (whose first theme it is), then those it shares with another theme, each by number,
        so that a leaflet or a card opens on its subject and a canvasser finds a number in order."""
        return tuple(sorted(self.measures_of(slug) if measures is None else measures,
                            key=lambda m: (m.themes[0] != slug, m.number)))

    def content_hash(self) -> str:
        """A short fingerprint of every word and setting, printed in the slug area of each PDF."""
        data = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:12]
