"""authres with its patterns compiled once reads every header as authres itself does."""

from __future__ import annotations

from typing import Any

import authres
import pytest

from helpdesk.mailbox import authresults

HEADERS = (
    "mx.klientiem.test; spf=pass; dkim=pass; dmarc=pass",
    "mx.example.lv; dkim=pass (2048-bit key; unprotected) header.d=example.lv header.i=@example.lv "
    'header.b="abc+d/ef"; spf=pass (mx: domain of a@example.lv designates 1.2.3.4 as permitted sender) '
    "smtp.mailfrom=a@example.lv; dmarc=pass (p=none dis=none) header.from=example.lv",
    "mx; none",
    "mx (comment (nested \\) one)) 1; auth=pass smtp.auth=x@y.z; iprev=fail policy.iprev=1.2.3.4 (bad)",
    'mx; dmarc=fail reason="policy says \\"no\\"" header.from=example.lv; dkim=neutral header.d=x.lv',
    "MX.Example.LV;\r\n\tSPF=SoftFail smtp.mailfrom=@example.lv;  DKIM=pass header.i=j@example.lv",
    'mx; dkim=pass header.b="open',  # authres lets an unclosed quote pass
)
BROKEN = ("", "mx", "mx; spf", "mx; spf=pass (unclosed", "; spf=pass")


def _read(header: Any) -> tuple[Any, ...]:
    results = [
        (str(r.method), str(r.result), str(r.reason), [(p.type, p.name, str(p.value)) for p in r.properties])
        for r in header.results
    ]
    return header.authserv_id, header.version, results


@pytest.mark.parametrize("value", HEADERS)
def test_a_header_reads_as_authres_reads_it(value: str) -> None:
    assert _read(authresults.parse_value(value)) == _read(
        authres.AuthenticationResultsHeader.parse_value(value)
    )


@pytest.mark.parametrize("value", BROKEN)
def test_a_header_authres_refuses_is_refused_alike(value: str) -> None:
    with pytest.raises(Exception) as theirs:
        authres.AuthenticationResultsHeader.parse_value(value)
    with pytest.raises(type(theirs.value)):
        authresults.parse_value(value)
