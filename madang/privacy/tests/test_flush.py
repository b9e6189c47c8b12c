"""Transactional tests (the browser walks) end with a flush that empties every table: the
append-only triggers let the test suite's flush through (conftest.py), and only that."""

import pytest

from madang.privacy import services, triggers
from madang.privacy.models import AccessRecord, Action


@pytest.mark.django_db(transaction=True)
def test_it_lets_the_flush_after_a_transactional_test_empty_the_records():
    from madang.people.models import User

    user = User.objects.create(username="flush-me", display_name="비움")
    services.record(user, action=Action.VIEW, kind="a")
    assert AccessRecord.objects.count() == 1
    assert triggers._locked() == 1  # unlocked for its teardown only


def test_it_finds_the_records_emptied_by_that_flush(db):
    assert not AccessRecord.objects.exists()
    assert triggers._locked() == 1
