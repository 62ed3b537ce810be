"""The note rule: a row's note says what its outcome says, with the outcome's modal verb.

A note is what every decision's explanation shows, so a note that says "får ges" (may) on a row
that grants (shall) misleads every reader of that decision. The vocabulary gives each outcome
that has one its modal verb in both languages (``modal_verbs``: ska/shall for ``grant``,
får/may for ``may_grant``); a row whose outputs name such an outcome must use its verb, and no
other outcome's verb, in each language. ``check`` reports a row that does not (``note``).
"""

from __future__ import annotations

import re

from ._format import Row, Vocabulary


def _has(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE) is not None


def note_problems(row: Row, vocabulary: Vocabulary) -> list[str]:
    """What is wrong with ``row``'s note against its outcome, in words (empty: nothing).

    >>> from betanketid_rules._tables import default_table_set
    >>> table_set = default_table_set()
    >>> outcome = table_set.families[table_set.outcome_family][-1]
    >>> grant = next(r for r in outcome.spec.rows if r.then.get("outcome") == "grant")
    >>> note_problems(grant, table_set.vocabulary)
    []
    >>> wrong = grant.model_copy(update={"note": grant.note.model_copy(
    ...     update={"sv": grant.note.sv.replace("ska ges", "får ges")})})
    >>> note_problems(wrong, table_set.vocabulary)[0]
    "the Swedish note lacks 'ska', the verb of outcome grant"
    """
    outcome = row.then.get("outcome")
    verbs = vocabulary.modal_verbs
    if not isinstance(outcome, str) or outcome not in verbs:
        return []
    problems = []
    for lang, language in (("sv", "Swedish"), ("en", "English")):
        note = getattr(row.note, lang)
        own = getattr(verbs[outcome], lang)
        if not _has(note, own):
            problems.append(f"the {language} note lacks {own!r}, the verb of outcome {outcome}")
        for other, verb in verbs.items():
            word = getattr(verb, lang)
            if other != outcome and word != own and _has(note, word):
                problems.append(
                    f"the {language} note says {word!r}, the verb of outcome {other}, "
                    f"on a row whose outcome is {outcome}"
                )
    return problems
