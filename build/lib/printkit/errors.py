"""User-facing errors: the CLI prints them as messages, never as tracebacks."""

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Where:
    """A position in a source file, printed as ``file:line:column``."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, and where it is."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True, order=True)
class Finding:
    """One thing a printer would call back about, found by a check."""

    file: str
    page: int
    level: str
    what: str

    def as_dict(self) -> dict:
        """The finding as JSON data."""
        return {"level": self.level, "file": self.file, "page": self.page, "what": self.what}


class PrintkitError(click.ClickException):
    """An error caused by the user's input or environment, not by a bug."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


class InvalidInput(PrintkitError):
    """Every problem found in the input, reported at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count > 1 else ''} found:\n{lines}")


class Problems:
    """Collects problems while a stage goes on, then aborts once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, where: Where, message: str) -> None:
        """Record one problem."""
        self.items.append(Problem(where, message))

    def raise_if_any(self) -> None:
        """Abort with all the problems recorded so far."""
        if self.items:
            raise InvalidInput(self.items)
