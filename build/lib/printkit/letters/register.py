"""The letters register: which letter cites which measures, and which measures no letter cites."""

from pathlib import Path

from printkit.errors import InvalidInput
from printkit.letters.source import Letter, read_letter
from printkit.programme.model import Programme


def read_letters(folder: Path, programme: Programme, fonts: Path) -> list[Letter]:
    """Every letter of the folder, read and checked; the problems of all of them are reported at once."""
    letters, problems = [], []
    for path in sorted(folder.glob("*.md")):
        try:
            letters.append(read_letter(path, programme, fonts, _shown(path)))
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems)
    return letters


def register(letters: list[Letter], programme: Programme) -> dict:
    """The register as data: each letter with its recipient, date and measures; the measures never cited."""
    cited = {number for letter in letters for number in letter.cited}
    return {
        "letters": [{"letter": str(letter.path.name), "to": letter.to[0] if letter.to else "", "date": letter.date.isoformat(),
                     "subject": letter.subject, "measures": list(letter.cited)} for letter in letters],
        "uncited": [m.number for m in programme.measures if m.number not in cited],
    }


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
