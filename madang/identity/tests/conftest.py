import os
import shutil

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
    # pysaml2 signs and checks with the xmlsec1 program. `make test` installs it where it can (root and
    # apt); elsewhere the SAML tests say what is missing instead of erroring, except in CI.
    if shutil.which("xmlsec1") is None and os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        pytest.skip("xmlsec1 is not installed (apt-get install xmlsec1): the SAML sign-in tests need it")
    idp = LoopbackIdP(tmp_path_factory.mktemp("saml-idp")).start()
    yield idp
    idp.stop()


@pytest.fixture
def fresh_saml_idp(saml_idp):
    saml_idp.tamper = {}
    saml_idp.person = {}
    return saml_idp
