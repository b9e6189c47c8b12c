"""Each kind of notification reads as its sending app wrote it; inbox itself knows no domain."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext_lazy

from madang.inbox import registry, services
from madang.inbox.models import Notification, NotificationKind


def test_it_has_a_text_for_every_kind_from_the_app_that_sends_it():
    texts = registry.registered()
    assert set(texts) == set(NotificationKind.values)
    owners = {kind: texts[kind].owner for kind in NotificationKind.values}
    assert owners[NotificationKind.COMMENT] == "calls"
    assert owners[NotificationKind.DECISION] == "review"
    assert owners[NotificationKind.EXECUTION] == "followup"


def test_it_refuses_a_kind_claimed_by_two_apps():
    with pytest.raises(ImproperlyConfigured, match="registered by 'calls' and 'labs'"):
        registry.register(NotificationKind.COMMENT, gettext_lazy("A comment"), owner="labs")


@pytest.mark.django_db
def test_it_names_an_execution_state_in_the_readers_language(cast):
    p = cast.proposal()
    note = Notification(
        user=cast.minji, kind=NotificationKind.EXECUTION, proposal=p, params={"state": "in_progress", "percent": 40}
    )
    with translation.override("en"):
        assert services.describe(note) == f"Execution update on “{p.title}”: In progress 40%."
    with translation.override("ko"):
        assert "40%" in services.describe(note) and "In progress" not in services.describe(note)


@pytest.mark.django_db
def test_it_falls_back_to_the_title_for_an_unknown_kind(cast):
    p = cast.proposal()
    assert services.describe(Notification(user=cast.minji, kind="unheard", proposal=p, params={})) == p.title
