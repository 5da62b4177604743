"""`printkit new`: a campaign folder that builds at once, copied from the skeleton of a locale.

The skeletons are package data (``skeleton/<locale>/``): the placeholder programme, a commented
campaign.yaml and an example letter, in the locale's language. No layouts or fonts are copied,
since the built-in ones are used until a designer overrides them.
"""

import os
import shutil
from pathlib import Path

from printkit.errors import PrintkitError
from printkit.files import staging_folder, writing

SKELETONS = Path(__file__).resolve().parent / "skeleton"


def locales() -> list[str]:
    """The locales a campaign folder can be started in."""
    return sorted(folder.name for folder in SKELETONS.iterdir() if folder.is_dir())


def new_campaign(folder: Path, locale: str) -> None:
    """Create ``folder`` from the locale's skeleton, whole or not at all.

    The skeleton is copied into a staging folder beside ``folder``, then renamed into place, so
    that an interrupted copy never leaves a half-made campaign under the chosen name.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PrintkitError(f"{folder} already exists and is not empty: choose a new folder")
    with writing(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = staging_folder(folder)
    try:
        with writing(folder):
            shutil.copytree(SKELETONS / locale, staging, dirs_exist_ok=True, copy_function=shutil.copyfile)
            os.replace(staging, folder)  # replaces an empty folder of that name, as the check above allows
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
