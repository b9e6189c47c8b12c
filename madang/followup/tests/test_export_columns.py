"""A call's export carries followup's columns (registered into calls/exports.py): 교통과 accepted
김민지's proposal and reports 40% done; 이서준's proposal was not sent anywhere yet."""

import csv
import io
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.followup import services as followup
from madang.followup.models import Routing
from madang.review import services as review
from madang.testing import set_phase


def test_it_exports_where_each_proposal_went_and_how_it_goes(cast):
    routed = cast.proposal(title="버스 정류장 온열 의자")
    cast.proposal(author=cast.seojun, title="교통 안내 개선")
    set_phase(cast.call, PhaseKind.REVIEW)
    review.route_decision(
        actor=cast.doyun,
        proposal=routed,
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=7),
    )
    routing = Routing.objects.get(proposal=routed)
    followup.answer_routing(actor=cast.sohee, routing=routing, kind="accept")
    followup.post_execution_update(actor=cast.sohee, routing=routing, state="in_progress", percent=40, note="시범 설치")

    text = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/calls/c/{cast.call.slug}/export.csv").content.decode("utf-8")
    header, *rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    assert header[8:15] == ["Outcome", "Department", "Answer", "Execution", "Progress (%)", "Overdue", "Submitted"]
    by_title = {row[1]: row for row in rows}
    assert by_title["버스 정류장 온열 의자"][9:14] == ["한빛도 교통과", "Accepted", "In progress", "40", ""]
    assert by_title["교통 안내 개선"][9:14] == ["", "", "", "", ""]
