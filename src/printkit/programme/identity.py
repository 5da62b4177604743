"""The campaign's face, from the optional ``programme/identity.yaml``: slogan, head of the list,
logo, photos with credits, contact, procuration link and public meetings.

Every field is optional and the file itself may be absent: the layouts are designed for
absence (no empty frame where a photo would be). Problems point at ``file:line:column``
and join the loader's, so that every mistake is reported at once.
"""

import hashlib
import re
from pathlib import Path

import yaml

from printkit.programme.model import Contact, Identity, Meeting, Photo
from printkit.programme.yamlsource import Reader, read_yaml

FILE = "identity.yaml"
KEYS = ("slogan", "head_of_list", "logo", "photos", "contact", "procuration", "meetings")
LOGO_TYPES = (".svg", ".png")
PHOTO_TYPES = (".png", ".jpg", ".jpeg")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 25_000_000  # an A3 page at 300 ppi is 17.4 million: no piece prints a picture larger


def read_identity(folder: Path, reader: Reader, region: str, meetings_at: list | None = None) -> Identity:
    """The identity file's fields, or an empty identity when the file does not exist; ``region`` is
    the country whose rules a phone number is read by (ISO 3166, as the campaign's locale gives it).
    ``meetings_at`` receives where each meeting read is written, for the warnings that name it."""
    if not (folder / FILE).is_file():
        return Identity()
    node = read_yaml(folder / FILE, reader.label, reader.problems)
    keys = reader.mapping(node, FILE, optional=KEYS) if node is not None else None
    if not keys:
        return Identity()
    text = {key: reader.text(keys[key], key) or "" for key in ("slogan", "head_of_list") if key in keys}
    return Identity(
        **text,
        logo=_file(reader, keys["logo"], folder, "the logo", LOGO_TYPES) if "logo" in keys else None,
        photos=_present(_photo(reader, item, folder) for item in reader.sequence(keys.get("photos"), "photos"))
        if "photos" in keys else (),
        contact=_contact(reader, keys["contact"], region) if "contact" in keys else Contact(),
        procuration=_https(reader, keys["procuration"], "the procuration link") if "procuration" in keys else "",
        meetings=_meetings(reader, keys["meetings"], meetings_at) if "meetings" in keys else (),
    )


def _meetings(reader: Reader, node: yaml.Node, located: list | None) -> tuple:
    """The meetings read, each one's place in the file appended to ``located``."""
    read = [(reader.where(item), _meeting(reader, item)) for item in reader.sequence(node, "meetings")]
    if located is not None:
        located += [where for where, meeting in read if meeting is not None]
    return _present(meeting for _, meeting in read)


def _present(items) -> tuple:
    return tuple(item for item in items if item is not None)


def _file(reader: Reader, node: yaml.Node, folder: Path, what: str, types: tuple[str, ...]) -> Photo | None:
    """A picture beside the programme, kept with a digest so that replacing it rebuilds what shows it."""
    name = reader.text(node, what)
    if name is None:
        return None
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        reader.fail(node, f"{what} '{name}' must be a file inside the programme folder")
    elif path.suffix.lower() not in types:
        reader.fail(node, f"{what} '{name}' must be one of: {', '.join(types)}")
    elif not path.is_file():
        reader.fail(node, f"{what} '{name}' does not exist (expected it beside {FILE})")
    elif problem := _oversized(path):
        reader.fail(node, f"{what} '{name}' {problem}")
    else:
        return Photo(name, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
    return None


def _oversized(path: Path) -> str | None:
    """Why a picture is too large to print from, read from its size and its header alone (never decoded):
    a 50 MB logo took 18 s and 672 MB to lay out, for no sharper print."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"is {size / 1e6:.0f} MB: at most {MAX_IMAGE_BYTES / 1e6:.0f} MB"
    if path.suffix.lower() == ".svg":
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError):
        return "cannot be read as a picture"
    if width * height > MAX_IMAGE_PIXELS:
        return f"is {width} × {height} pixels: at most {MAX_IMAGE_PIXELS / 1e6:.0f} million, more than A3 at 300 ppi"
    return None


def _photo(reader: Reader, node: yaml.Node, folder: Path) -> Photo | None:
    keys = reader.mapping(node, "a photo", required=("file", "credit"), optional=("caption",)) or {}
    picture = _file(reader, keys["file"], folder, "the photo", PHOTO_TYPES) if "file" in keys else None
    credit = reader.text(keys["credit"], "the photo's credit") if "credit" in keys else None
    caption = reader.text(keys["caption"], "the photo's caption") if "caption" in keys else ""
    if picture is None or credit is None:
        return None
    return Photo(picture.file, picture.digest, credit, caption or "")


def _contact(reader: Reader, node: yaml.Node, region: str) -> Contact:
    keys = reader.mapping(node, "contact", optional=("email", "phone", "social")) or {}
    email = reader.text(keys["email"], "the email address") if "email" in keys else ""
    if email and not EMAIL.match(email):
        reader.fail(keys["email"], f"'{email}' is not an email address")
    phone = reader.text(keys["phone"], "the phone number") if "phone" in keys else ""
    if phone:
        phone = _phone(reader, keys["phone"], phone, region)
    social = tuple(reader.texts(keys["social"], "a social account")) if "social" in keys else ()
    return Contact(email or "", phone or "", social)


def _phone(reader: Reader, node: yaml.Node, phone: str, region: str) -> str:
    """The number as the campaign's country writes it (a foreign one in the international format), or ""
    once the reader holds why it is not a number. Only its length is checked against the country's
    plan, so that the numbers set aside for fiction (555-01xx in the US) stay usable in examples."""
    import phonenumbers  # here, not at the top: a programme without a phone never needs it

    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        reader.fail(node, f"'{phone}' is not a phone number in {region} (write it as that country does, "
                          "or in the international format, +<country code> …)")
        return ""
    domestic = phonenumbers.region_code_for_country_code(number.country_code) == region
    style = phonenumbers.PhoneNumberFormat.NATIONAL if domestic else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def _https(reader: Reader, node: yaml.Node, what: str) -> str:
    url = reader.text(node, what) or ""
    if url and not url.startswith("https://"):
        reader.fail(node, f"{what} must be an https:// address, not '{url}'")
        return ""
    return url


def _meeting(reader: Reader, node: yaml.Node) -> Meeting | None:
    keys = reader.mapping(node, "a meeting", required=("date", "place"), optional=("time", "speakers")) or {}
    day = reader.date(keys["date"], "the meeting's date") if "date" in keys else None
    place = reader.text(keys["place"], "the meeting's place") if "place" in keys else None
    time = reader.text(keys["time"], "the meeting's time") if "time" in keys else ""
    speakers = tuple(reader.texts(keys["speakers"], "a speaker")) if "speakers" in keys else ()
    return Meeting(day, time or "", place, speakers) if day and place else None
