"""윤소희 (교통과 liaison) reads a routed proposal and reports its execution on the routing page."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.followup import services
from madang.followup.models import AnswerKind, ExecutionState, Routing
from madang.review import services as review
from madang.testing import set_phase


def accepted(cast):
    p = cast.proposal(problem="<p>버스를 오래 기다립니다.</p>", solution="<p>승차 알림을 보냅니다.</p>")
    set_phase(cast.call, PhaseKind.SELECTION)
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=14)
    )
    r = Routing.objects.get(proposal=p)
    services.answer_routing(actor=cast.sohee, routing=r, kind=AnswerKind.ACCEPT)
    return r


def test_it_keeps_problem_and_solution_apart(cast):
    r = accepted(cast)
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.sohee)
    page = c.get(f"/followup/r/{r.pk}/").content.decode()
    assert "기다립니다.</p><p>승차" not in page
    assert page.index("문제점") < page.index("버스를 오래") < page.index("승차 알림")


def test_it_starts_the_next_report_from_the_last_one(cast):
    r = accepted(cast)
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.sohee)
    data = {
        "form": "execution",
        "state": ExecutionState.IN_PROGRESS,
        "percent": "30",
        "happened_on": timezone.localdate().isoformat(),
        "note": "",
    }
    assert c.post(f"/followup/r/{r.pk}/", data).status_code == 302
    page = c.get(f"/followup/r/{r.pk}/").content.decode()
    assert 'value="30"' in page
    assert '<option value="in_progress" selected>' in page


def test_it_names_each_department_with_its_organisation(cast):
    from madang.followup.forms import AnswerForm

    labels = [
        label
        for _group, options in list(AnswerForm(call=cast.call).fields["transfer_to"].choices)[1:]
        for _pk, label in options
    ]
    assert "한빛도 › 교통과" in labels and all(" › " in label for label in labels)
