"""Every catalogue is complete: no untranslated Korean string, no fuzzy entry, no broken placeholder."""

import importlib.util
from pathlib import Path

import madang


def test_it_has_complete_catalogues():
    path = Path(madang.__file__).parent / "locale" / "check_catalogue.py"
    spec = importlib.util.spec_from_file_location("check_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([]) == 0
