"""``knowledge.quotes.quote`` returns what ``quotequail.quote`` returns, on every text: the residents'
messages of the evaluation sets, the real-world mails of tests/mailbox/realworld, and the shapes at
the edge of its shortcut."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest
import quotequail

from helpdesk.knowledge import quotes
from tests.kb_eval.evaluate import load_queries
from tests.kb_eval.fresh_set import load_items

REALWORLD = Path(__file__).parents[1] / "mailbox" / "realworld"

EDGES = (
    "",
    "\n",
    "Labdien,\nkā samaksāt rēķinu?\n\nAr cieņu, Jānis",
    "Paldies!\n\nOn Mon, 20 Nov 2026 at 10:00, Jānis <j@x.lv> wrote:\n> Kur ir rēķins?",
    "Paldies!\nOn Mon, 20 Nov 2026 at 10:00, Jānis\n<j@x.lv> wrote:   \n> Kur ir rēķins?",
    "Atbilde\n---- Original Message ----\nFrom: a@b.lv",
    "Atbilde\n-----Original Message-----\t\r\nFrom: a@b.lv",
    "Atbilde\n" + "_" * 32 + "\nFrom: a@b.lv",
    "Atbilde\n2024/1/2 Jānis Bērziņš <janis@example.lv>\n> teksts",
    "Atbilde\nBegin forwarded message:\u00a0\nFrom: a@b.lv",
    "Кому: нам\nЗдравствуйте, Иван Петров написал(а):\n> текст",
    "> only a quote\n> and more",
    ">",
    "e-pasts: janis@example.lv\nkāpēc?",
    "line\r\nanother line -\r\nend",
    "\n".join(f"rinda {n}" for n in range(1200)),  # past the line limit: quotequail quotes the rest
    "\n".join(f"rinda {n}" for n in range(998)),
    "\n".join(f"rinda {n}" for n in range(999)),
    "\n".join(f"rinda {n}" for n in range(1000)),
)


def _realworld() -> list[str]:
    texts = []
    for path in sorted(REALWORLD.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.suffix == ".md":
            continue
        try:
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
        except Exception:  # a mail the standard library cannot read: its bytes as text
            text = path.read_bytes().decode("utf-8", "replace")
        texts.append(text)
    return texts


def _texts() -> list[str]:
    in_scope, out_of_scope = load_queries()
    items = [item.text for item in load_items("tune")]
    return list(EDGES) + [q.text for q in in_scope + out_of_scope] + items + _realworld()


@pytest.mark.parametrize("intro", [False, True])
def test_quote_returns_what_quotequail_returns(intro: bool) -> None:
    texts = _texts()
    differ = [
        text[:60]
        for text in texts
        if quotes.quote(text, quote_intro_line=intro) != quotequail.quote(text, quote_intro_line=intro)
    ]
    assert differ == []
    assert len(texts) > 500
