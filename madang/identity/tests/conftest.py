import pytest

from madang.identity.tests.oidc_provider import LoopbackProvider
from madang.identity.tests.saml_idp import LoopbackIdP


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


@pytest.fixture(scope="module")
def saml_idp(tmp_path_factory):
    idp = LoopbackIdP(tmp_path_factory.mktemp("saml-idp")).start()
    yield idp
    idp.stop()


@pytest.fixture
def fresh_saml_idp(saml_idp):
    saml_idp.tamper = {}
    saml_idp.person = {}
    return saml_idp
