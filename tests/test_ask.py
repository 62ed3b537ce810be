"""The questionnaire (``betanketid-rules ask``), driven through a pseudo-terminal as a person
would use it: in Swedish and English, with "vet inte", help, saving, end of input and Ctrl-C.

What it must ask follows from the law (5 kap. 15 § andra och fjärde stycket, SFS 2022:1015):
for the board's reflection period for a presumed victim of trafficking the questions are the
reflection-period conditions (presence, need for the investigation, public order, the wish for
time), never the six-month ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pexpect
import pytest

COMMAND = str(Path(sys.executable).with_name("betanketid-rules"))
SIX_MONTH_QUESTIONS = ("samarbeta med de brottsutredande", "brutit alla förbindelser")


def spawn(*args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        COMMAND, ["ask", "--date", "2024-02-01", *args], encoding="utf-8", timeout=60
    )
    child.delaybeforesend = 0.05
    return child


def answer(child: pexpect.spawn, question: str, reply: str) -> str:
    """Wait for ``question`` and the prompt, reply, and return what was shown before it."""
    child.expect_exact(question)
    child.expect(r"(Svar|Answer): ")
    shown = str(child.before)
    child.sendline(reply)
    return shown


def test_a_swedish_session_asks_only_what_decides_and_keeps_an_unknown_open() -> None:
    child = spawn()
    child.expect_exact("Frågor om uppehållstillstånd")
    answer(child, "Vem ansöker om tillståndet?", "2")  # socialnämnden
    answer(child, "Vilket tillstånd gäller ansökan?", "1")  # betänketid
    answer(child, "Vad finns det anledning att anta", "1")  # människohandel
    answer(child, "Vistas personen i Sverige?", "vet inte")
    answer(child, "Behövs personen i Sverige", "j")
    answer(child, "Talar hänsyn till allmän ordning", "nej")
    answer(child, "Vill personen ha tid att återhämta sig", "ja")
    child.expect(pexpect.EOF)
    end = str(child.before)
    child.close()
    assert child.exitstatus == 0
    assert "ska beviljas — uppehållstillstånd för betänketid, 30 dagar" in end
    assert "avslag" in end
    assert "1. Vistas personen i Sverige? (person.in_sweden)" in end
    assert "Traceback" not in end
    for six_month in SIX_MONTH_QUESTIONS:
        assert six_month not in end


def test_an_english_session_with_help_ends_decided_and_saves_the_case(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    child = spawn("--lang", "en", "--save", str(saved))
    answer(child, "Who is applying for the permit?", "the social welfare board")
    answer(child, "Which permit is applied for?", "1")
    answer(child, "What is there reason to believe", "trafficking")
    answer(child, "Is the person staying in Sweden?", "yes")
    answer(child, "Is the person needed in Sweden", "?")
    child.expect_exact("First paragraph, point 1.")
    child.expect_exact("Answer: ")
    child.sendline("y")
    answer(child, "Do considerations of public order", "no")
    answer(child, "Does the person want time to recover", "yes")
    child.expect(pexpect.EOF)
    end = str(child.before)
    child.close()
    assert child.exitstatus == 0
    assert "The case is decided by what is known." in end
    assert "shall be granted — residence permit for a reflection period, 30 days" in end
    assert "refuse" not in end
    assert "Utfall" not in end and "Svar" not in end
    assert json.loads(saved.read_text(encoding="utf-8")) == {
        "decision_date": "2024-02-01",
        "applicant": "social_welfare_board",
        "permit": "reflection_period",
        "facts": {
            "presumed_offence": "trafficking",
            "needed_for_investigation": True,
            "public_order_objection": False,
            "wants_reflection_period": True,
        },
        "person": {"in_sweden": True},
    }


def test_an_answer_not_understood_is_asked_again() -> None:
    child = spawn()
    answer(child, "Vem ansöker om tillståndet?", "kanske")
    child.expect_exact("Svaret förstods inte")
    child.expect_exact("Svar: ")
    # Someone else (neither an authority nor the person, who may apply under 15 d §) may apply
    # for nothing: decided at once.
    child.sendline("5")
    child.expect(pexpect.EOF)
    end = str(child.before)
    assert "sökanden får inte ansöka om detta tillstånd" in end
    assert "Vilket tillstånd gäller ansökan?" not in end


@pytest.mark.parametrize(("stop", "word"), [("eof", "Avbrutet."), ("interrupt", "Avbrutet.")])
def test_end_of_input_or_ctrl_c_ends_cleanly(stop: str, word: str) -> None:
    child = spawn()
    child.expect_exact("Vem ansöker om tillståndet?")
    child.expect_exact("Svar: ")
    if stop == "eof":
        child.sendeof()
    else:
        child.sendintr()
    child.expect(pexpect.EOF)
    shown = str(child.before)
    child.close()
    assert word in shown
    assert "Traceback" not in shown
    assert child.exitstatus == 0
