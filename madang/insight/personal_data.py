"""What insight holds about a person, for their export (madang/people/personal_data.py): their
opinion-map statements and votes, their wiki-survey ideas and every pair they were shown or chose."""

from typing import Any

from madang.insight.models import Idea, Pair, Statement, StatementVote
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _opinions(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "statement", "call": s.call_id, "text": s.text, "state": s.state, "at": when(s.created_at)}
        for s in Statement.objects.filter(author=user)
    ]
    done += [
        {"what": "vote", "statement": v.statement.text, "value": v.value, "at": when(v.updated_at)}
        for v in StatementVote.objects.filter(user=user).select_related("statement")
    ]
    return done


def _survey(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "idea", "call": i.call_id, "text": i.text, "state": i.state, "at": when(i.created_at)}
        for i in Idea.objects.filter(author=user)
    ]
    done += [
        {
            "what": "pair",
            "left": p.left.text,
            "right": p.right.text,
            "choice": p.choice,
            "shown": when(p.shown_at),
            "answered": when(p.answered_at),
        }
        for p in Pair.objects.filter(user=user).select_related("left", "right")
    ]
    return done


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("opinion_map", _opinions, owner="insight", covers=["insight.Statement.author", "insight.StatementVote.user"])
    add("wiki_survey", _survey, owner="insight", covers=["insight.Idea.author", "insight.Pair.user"])
