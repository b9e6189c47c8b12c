"""What documents hold about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.documents.models import Batch, Form
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _work(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "form edited", "kind": f.kind, "at": when(f.updated_at)} for f in Form.objects.filter(updated_by=user)
    ]
    done += [
        {"what": "documents made", "kind": b.kind, "title": b.title, "at": when(b.created_at)}
        for b in Batch.objects.filter(created_by=user)
    ]
    return done


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("documents_work", _work, owner="documents", covers=["documents.Form.updated_by", "documents.Batch.created_by"])
