"""The first-to-file check as the cast lives it: 한빛도 (this site, its suggestion office run by 강도윤)
and 새벽도 (`agency.OtherAgency`) share an exchange key. 관리자 configures 새벽도 as a peer; 한가람
files suggestions here, some of which 새벽도 received first."""

from datetime import date

import pytest

from madang.calls import services as calls
from madang.priority import services
from madang.priority.tests.agency import KEY, OtherAgency
from madang.suggestions import services as suggestions
from madang.suggestions.tests.conftest import open_office


def file_idea(cast, office, title: str, problem: str, solution: str, on: date):
    """한가람 files a suggestion with this text, received on `on`."""
    fields = calls.ProposalFields(title=title, problem=f"<p>{problem}</p>", solution=f"<p>{solution}</p>")
    return suggestions.file_suggestion(actor=cast.garam, office=office, fields=fields, today=on)


@pytest.fixture(autouse=True)
def exchange_key(settings):
    settings.MADANG_FINGERPRINT_KEY = KEY


@pytest.fixture
def office(cast):
    return open_office(cast)


@pytest.fixture
def saebyeok():
    return OtherAgency()


@pytest.fixture
def peer(cast, saebyeok):
    return services.add_peer(actor=cast.admin, name="새벽도", origin=saebyeok.origin, vkey=saebyeok.vkey)
