"""A measure's title as the programme says it: its lead phrase, the action before its means or aim.

The pieces set the lead phrase bold (render/typography.py's filters give it to the layouts), and
a flagship place too short for the whole title quotes it (programme/model.py: Measure.flagship).
"""

import re

# The words a title's lead phrase stops before: where the action ends and its means or aim begin
# (« Décréter un moratoire | sur les grands projets »).
_BREAKERS = frozenset("""à afin au aux avec dans en et notamment ou par permettant pour qui sur
    and by for in on or so that through to which while with""".split())
# Of those, the ones that join two words of one phrase unless a second action follows: « la police
# municipale et la police nationale », « un plan à mettre en œuvre » stay whole; « … et transformer »
# starts a second action. A French infinitive ends so.
_JOINERS = frozenset("à et ou".split())
# « en » that makes one expression with the noun after it (« la mise en place », « en œuvre »), and
# the nouns « à » completes (« l'accès au sport », « le droit au logement »): no place to stop.
_EN_BOUND = frozenset("place œuvre oeuvre charge valeur service scène état".split())
_SET_IN = frozenset("mise mises".split())  # « la mise en adéquation »: « en » after it, whatever the noun
_TAKES_A = frozenset("accès l'accès l’accès droit aide l'aide l’aide recours".split())
_A_FORMS = frozenset("à au aux".split())
# The words a title that sets the scene before its action opens on (« Au niveau intercommunal, »).
_SCENE_OPENERS = _BREAKERS | _A_FORMS | {"dès", "d'ici", "d’ici"}
_INFINITIVE = re.compile(r"\w+(?:er|ir|re|oir)$")
_CLAUSE_END = re.compile(r"[,:;(–—]")
LEAD_MIN, LEAD_MAX, REST_MIN = 20, 90, 15  # characters


def lead_phrase(text: str) -> tuple[str, str]:
    """A measure's title cut into its lead phrase, set bold, and the rest, set regular: before the
    first clause mark or linking word between LEAD_MIN and LEAD_MAX characters in; a title longer
    than LEAD_MAX with no such place is cut at its first one further on, lest a whole long sentence
    be bold. A title with no such place, or whose rest would be short, is all lead. The parts join
    back into the title."""
    cut = _lead_end(text, LEAD_MAX)
    if cut is None and len(text) > LEAD_MAX:
        cut = _lead_end(text, len(text))
    return (text[:cut], text[cut:]) if cut is not None and len(text) - cut >= REST_MIN else (text, "")


def _lead_end(text: str, limit: int) -> int | None:
    """Where the lead phrase ends: at the first clause mark or linking word from LEAD_MIN
    characters in, up to ``limit``; None when there is none."""
    for word in re.finditer(r"\S+", text):
        if word.start() > limit:
            break
        clause = _CLAUSE_END.search(word.group())
        if clause and word.start() + clause.start() >= LEAD_MIN and not _sets_the_scene(text):
            cut = word.start() + clause.start() + (0 if word.group()[clause.start()] in "(–—" else 1)
            return word.start() if text[cut - 1] == "(" or text[cut:cut + 1] in "(–—" else cut
        if word.start() >= LEAD_MIN and _breaks_before(word.group().lower(), text[:word.start()].split()[-1:],
                                                        text[word.end():].split()[:1]):
            return word.start()
    return None


def _breaks_before(word: str, before: list[str], after: list[str]) -> bool:
    """Whether a lead phrase may stop before ``word``, given the words before and after it: « en »
    never just after an infinitive (« mettre | en œuvre », « prendre | en charge ») or « mise »
    (« de mise | en adéquation ») nor inside an expression (« la mise | en place »), « à » never
    after a noun it completes (« l'accès | au sport »); a joining word starts the rest only before
    a second action (« et transformer »), and « à » only before anything but an infinitive (« un
    plan à mettre en œuvre » is one phrase)."""
    if word not in _BREAKERS or (word == "en" and before and (_infinitive(before[0]) or before[0].lower() in _SET_IN)):
        return False
    if (word == "en" and after and after[0].lower() in _EN_BOUND) or \
            (word in _A_FORMS and before and before[0].lower() in _TAKES_A):
        return False
    if word == "à":
        return not (after and _infinitive(after[0]))
    return bool(after) and _infinitive(after[0]) if word in _JOINERS else True


def _sets_the_scene(text: str) -> bool:
    """Whether a title opens on a linking word, so that its first clause only sets the scene (« Au
    niveau intercommunal, | étendre le permis de louer »): the action, and so the lead phrase, follows."""
    return text.split(maxsplit=1)[0].lower() in _SCENE_OPENERS


def _infinitive(word: str) -> bool:
    return _INFINITIVE.fullmatch(word.lower()) is not None
