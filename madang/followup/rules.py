"""Who answers for a department and reports execution."""

from typing import Any

from madang.followup.models import AnswerKind, Routing, RoutingState
from madang.people.rules import is_liaison_for


def can_answer(user: Any, routing: Routing) -> bool:
    return routing.state == RoutingState.AWAITING and is_liaison_for(user, routing.department)


def can_report_execution(user: Any, routing: Routing) -> bool:
    answer = getattr(routing, "answer", None)
    return (
        routing.state == RoutingState.ANSWERED
        and answer is not None
        and answer.kind in (AnswerKind.ACCEPT, AnswerKind.PARTIAL)
        and is_liaison_for(user, routing.department)
    )
