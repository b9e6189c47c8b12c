import pytest
from django.test import Client

from madang.people import services as people
from madang.people.models import Role


@pytest.fixture
def officer(cast):
    """정보화과의 정하늘, 한빛도의 개인정보 보호책임자 (a site-wide grant of the role)."""
    people.grant_role(actor=None, user=cast.haneul, role=Role.PRIVACY_OFFICER)
    return cast.haneul


def client(user=None, **extra):
    c = Client(**extra)
    if user is not None:
        c.force_login(user)
    return c
