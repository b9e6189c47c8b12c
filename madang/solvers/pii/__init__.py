"""Exposed personal data in Korean text and in the text of attachments; no Django.

- `core`: the detector (`scan`), its slow reference (`scan_each`), masks and `redact`;
- `checks`: birth dates and check digits (주민등록번호, 외국인등록번호, Luhn);
- `attachments`: the text of PDF, XLSX, DOCX and HWPX files;
- `labelled`: the project's labelled Korean set (data/labelled.jsonl) and its measures.

What each kind covers, and what it deliberately leaves alone, is in docs/privacy-filter.md.
"""

from madang.solvers.pii.core import (
    ALLOWED_VISIBLE,
    RECOGNISERS,
    Finding,
    Kind,
    mask_digits,
    redact,
    scan,
    scan_each,
)

__all__ = ["ALLOWED_VISIBLE", "RECOGNISERS", "Finding", "Kind", "mask_digits", "redact", "scan", "scan_each"]
