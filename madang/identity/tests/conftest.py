import pytest

from madang.identity.tests.oidc_provider import LoopbackProvider


@pytest.fixture(scope="module")
def idp():
    provider = LoopbackProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def fresh_idp(idp):
    idp.tamper = {}
    idp.person = {}
    idp.codes.clear()
    return idp
