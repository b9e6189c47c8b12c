"""The national-scale generator, at a small scale: rows and counters agree, the rules hold."""

from datetime import timedelta

import pytest
from django.db.models import Count, F
from django.utils import timezone

from madang.calls.models import Comment, Proposal, Support
from madang.people.models import User
from madang.site import national

pytestmark = pytest.mark.django_db


def test_it_generates_consistent_data_through_the_bulk_path():
    sizes = national.Sizes(organisations=12, users=3_000, proposals=150, supports=9_000, comments=700)
    report = national.generate(sizes, seed=7)
    assert User.objects.filter(username__regex=r"^n[0-9]{7}$").count() == 3_000
    proposals = Proposal.objects.filter(call__slug=report.call_slug)
    assert proposals.count() == 150
    assert Support.objects.filter(proposal__in=proposals).count() == report.sizes.supports == 9_000
    assert Comment.objects.filter(proposal__in=proposals).count() == 700
    # Counters equal the rows they count; nobody supports their own proposal; numbers are gapless.
    mismatched = proposals.annotate(n=Count("supports", distinct=True)).exclude(n=F("support_count"))
    assert not mismatched.exists()
    assert not proposals.annotate(n=Count("comments", distinct=True)).exclude(n=F("comment_count")).exists()
    assert not Support.objects.filter(user=F("proposal__author")).exists()
    assert sorted(proposals.values_list("number", flat=True)) == list(range(1, 151))
    assert all(" " in p.search_terms for p in proposals[:5])
    # Times compare with the times Django writes (on SQLite an ISO "T…+00:00" sorted after all of them).
    later = timezone.now() + timedelta(seconds=1)
    assert proposals.filter(submitted_at__lt=later, updated_at__lt=later).count() == 150
    assert Comment.objects.filter(proposal__in=proposals, created_at__lt=later).count() == 700


def test_it_makes_the_same_data_from_the_same_seed():
    first = national.generate(
        national.Sizes(organisations=6, users=200, proposals=10, supports=300, comments=30), seed=3
    )
    counts = list(
        Proposal.objects.filter(call__slug=first.call_slug).order_by("number").values_list("support_count", flat=True)
    )
    Support.objects.all().delete()
    Comment.objects.all().delete()
    Proposal.objects.all().delete()
    from madang.calls.models import Call

    Call.objects.all().delete()
    User.objects.filter(username__regex=r"^n[0-9]{7}$").delete()
    User.objects.filter(username="national-admin").delete()
    from madang.people.models import Organisation

    for org in Organisation.objects.order_by("-path"):
        org.delete()
    again = national.generate(
        national.Sizes(organisations=6, users=200, proposals=10, supports=300, comments=30), seed=3
    )
    assert (
        list(
            Proposal.objects.filter(call__slug=again.call_slug)
            .order_by("number")
            .values_list("support_count", flat=True)
        )
        == counts
    )
