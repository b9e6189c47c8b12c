"""The lottery itself: quotas met in every panel drawn, probabilities reproduced, draws verifiable."""

import json
import subprocess
import sys

import numpy as np
import pytest

from madang.citizens import lottery, services
from madang.citizens.models import Lottery
from madang.ledger.models import Entry
from madang.solvers import sortition


def test_it_meets_the_quotas_in_every_panel_drawn_for_many_seeds(committed):
    made = committed.lotteries.get()
    instance = lottery.instance_of(made)
    distribution = lottery.distribution_of(made)
    assert all(instance.is_valid_panel(p) for p in distribution.panels)
    for i in range(300):
        panel = sortition.draw(distribution, f"한빛도 공개 추첨 {i}")
        assert instance.violations(panel) == [], i


def test_it_stores_probabilities_that_the_panels_reproduce_and_the_solver_agrees_with(computed):
    made = computed.lotteries.get()
    distribution = lottery.distribution_of(made)
    assert np.allclose(distribution.marginals(), made.probabilities, atol=1e-12)
    assert sum(made.probabilities) == pytest.approx(made.k)
    fresh = sortition.find_leximin(lottery.instance_of(made), seed=0)
    assert np.allclose(sorted(fresh.probabilities), sorted(made.probabilities), atol=1e-6)
    assert sortition.commit(fresh.distribution) == made.commitment  # deterministic for a seed


def test_it_draws_panels_as_often_as_their_probabilities_say(committed):
    made = committed.lotteries.get()
    distribution = lottery.distribution_of(made)
    hits = np.zeros(len(made.people))
    runs = 3000
    for i in range(runs):
        hits[list(sortition.draw(distribution, f"seed-{i}"))] += 1
    assert np.abs(hits / runs - np.array(made.probabilities)).max() < 0.05


def test_it_verifies_the_published_draw(drawn):
    made = drawn.lotteries.get()
    check = lottery.verify(made)
    assert check.ok and check.commitment_ok and check.quotas_ok
    entries = {e.kind: json.loads(e.body) for e in Entry.objects.filter(subject=drawn.subject)}
    assert entries["citizens.lottery_committed"]["commitment"] == made.commitment
    assert entries["citizens.panel_drawn"]["seed"] == made.seed == "3 11 19 24 38 42 + 7"
    assert entries["citizens.panel_drawn"]["panel"] == made.panel
    # the seed source is free text: only a commitment goes to the ledger
    assert "로또" not in Entry.objects.get(kind="citizens.lottery_committed").body.decode()


@pytest.mark.parametrize("tamper", ["seed", "panel", "weights", "commitment", "panels"])
def test_it_fails_verification_when_anything_is_tampered_with(drawn, tamper):
    made = Lottery.objects.get(pool=drawn)
    if tamper == "seed":
        made.seed = "3 11 19 24 38 43 + 7"
    elif tamper == "panel":
        others = [i for i in range(len(made.people)) if i not in made.panel]
        made.panel = sorted([*made.panel[1:], others[0]])
    elif tamper == "weights":
        w = [float.fromhex(x) for x in made.weights]
        w[0], w[-1] = w[0] + 1e-6, w[-1] - 1e-6
        made.weights = [x.hex() for x in w]
    elif tamper == "commitment":
        made.commitment = "0" * 64
    else:
        made.panels = [list(reversed(made.panels[0])), *made.panels[1:]]
    check = lottery.verify(made)
    if tamper == "seed":
        # another seed may by chance draw the same panel; it must at least not be a false claim
        assert check.ok == (sortition.draw(lottery.distribution_of(made), made.seed) == tuple(made.panel))
    else:
        assert not check.ok


def _offline(path):
    # our own published script, run as a verifier outside Madang would run it
    return subprocess.run(
        [sys.executable, "-c", lottery.OFFLINE_SCRIPT, str(path)], capture_output=True, text=True, check=False
    )


def test_it_publishes_json_that_a_standalone_script_verifies(drawn, tmp_path):
    made = drawn.lotteries.get()
    path = tmp_path / "lottery.json"
    data = lottery.published(made)
    path.write_text(json.dumps(data, ensure_ascii=False))
    assert _offline(path).stdout.strip() == "verified"
    others = [i for i in range(data["n"]) if i not in data["panel"]]
    path.write_text(json.dumps({**data, "panel": [*data["panel"][1:], others[0]]}, ensure_ascii=False))
    assert _offline(path).stdout.strip() == "NOT the published panel"
    path.write_text(
        json.dumps({**data, "serialised": data["serialised"].replace(";", ";0x1.0p-1;", 1)}, ensure_ascii=False)
    )
    result = _offline(path)
    assert result.returncode != 0 and "commitment differs" in result.stderr


def test_it_publishes_no_attributes_or_names(drawn):
    made = drawn.lotteries.get()
    data = lottery.published(made)
    assert "people" not in data and "members" not in data
    data.pop("quotas"), data.pop("attributes")  # the quotas name values, of course; nothing else may
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("female", "male", "30-39", "60-69", "송누리", "nuri", "한가람", "garam", "@example.kr"):
        assert secret not in text


def test_it_refuses_to_draw_a_lottery_altered_after_commitment(cast, committed):
    made = committed.lotteries.get()
    w = [float.fromhex(x) for x in made.weights]
    w[0], w[-1] = w[0] + 1e-3, w[-1] - 1e-3
    Lottery.objects.filter(pk=made.pk).update(weights=[x.hex() for x in w])
    with pytest.raises(services.DomainError) as err:
        services.draw_panel(actor=cast.doyun, pool=committed, seed="1 2 3 4 5 6")
    assert err.value.code == "tampered"
