"""The sales tests' store fixtures (for the effect panel built from the sales analytics) and
a small pairing set-up shared by the pairing tests."""

import datetime as dt

import pytest

from fucai.party.models import Branch, Member, Pairing, PairingScheme
from fucai.sales.tests.conftest import store, write_csv  # noqa: F401

D = dt.date


@pytest.fixture
def paired(network, ganzhou, jiujiang):
    """赣州's branch with a one-to-one scheme: cadre 甲 paired with 36110214 from 2023-02-10,
    cadre 乙 with 36110001 from 2023-03-01; 九江's branch pairs its cadre with 36040001."""
    gz = Branch.objects.create(code="DZ360700", name="赣州测试党支部", city=ganzhou)
    jj = Branch.objects.create(code="DZ360400", name="九江测试党支部", city=jiujiang)
    cadres = [
        Member.objects.create(branch=gz, name=n, joined_on=D(2001, 7, 1), is_cadre=True)
        for n in ("结对干部甲", "结对干部乙")
    ]
    scheme = PairingScheme.objects.create(branch=gz, name="赣州结对方案", started_on=D(2023, 2, 1))
    stations = network["stations"]
    first = Pairing.objects.create(
        scheme=scheme, member=cadres[0], station=stations["xingguo"], started_on=D(2023, 2, 10)
    )
    second = Pairing.objects.create(
        scheme=scheme, member=cadres[1], station=stations["zhanggong"], started_on=D(2023, 3, 1)
    )
    jj_cadre = Member.objects.create(branch=jj, name="九江干部丙", joined_on=D(2003, 7, 1))
    jj_scheme = PairingScheme.objects.create(
        branch=jj, name="九江结对方案", started_on=D(2023, 1, 1)
    )
    Pairing.objects.create(
        scheme=jj_scheme, member=jj_cadre, station=stations["xunyang"], started_on=D(2023, 1, 5)
    )
    return {"gz": gz, "jj": jj, "scheme": scheme, "cadres": cadres, "pairings": [first, second]}
