"""The guided form's own words (``texts.yaml`` beside this module), in Swedish and English.

Only interface words live there: headings, buttons, hints. What the law says comes from the
tables, the source registry, the vocabulary and the question catalogue.
"""

from __future__ import annotations

import functools
from importlib import resources

from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

from .._tables._format import Bilingual
from .._types import Applicant, Lang


class Asker(BaseModel):
    """Who may be asking, and the case's applicant that follows (None: not known)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    applicant: Applicant | None
    label: Bilingual


class Texts(BaseModel):
    """``texts.yaml``: who may be asking, and every word of the interface by key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    askers: tuple[Asker, ...]
    #: The case fields the start page asks after who is asking (what it is about).
    start_questions: tuple[str, ...]
    words: dict[str, Bilingual]

    def word(self, key: str, lang: Lang, **values: object) -> str:
        """The word ``key`` in ``lang``, with ``values`` filled in.

        >>> texts().word("question_heading", "en", number=2)
        'Question 2'
        """
        text = self.words[key]
        chosen = text.sv if lang == "sv" else text.en
        return chosen.format(**values) if values else chosen

    def asker(self, asker_id: str) -> Asker | None:
        """The asker called ``asker_id``, or None."""
        return next((asker for asker in self.askers if asker.id == asker_id), None)


@functools.cache
def texts() -> Texts:
    """The interface words shipped with the package, read once (an invalid file raises).

    >>> texts().word("dont_know", "sv")
    'Vet inte'
    """
    source = resources.files(__package__).joinpath("texts.yaml").read_text("utf-8")
    return Texts.model_validate(YAML(typ="safe").load(source))
