"""Rewrite the generated list of ledger entry kinds in docs/ledger.md from the registry."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madang.settings")
os.environ.setdefault("MADANG_DEBUG", "1")

import django  # noqa: E402

django.setup()

from madang.ledger import kinds  # noqa: E402

doc = ROOT / "docs" / "ledger.md"
text = doc.read_text("utf-8")
begin, end = "<!-- kinds:begin -->\n", "<!-- kinds:end -->"
head, rest = text.split(begin, 1)
_old, tail = rest.split(end, 1)
doc.write_text(head + begin + kinds.markdown() + end + tail, "utf-8")
print(f"docs/ledger.md: {len(kinds.all_kinds())} kinds")
