"""Every write of the first-to-file check: the peers we trust, what their exports prove, the matches
with our suggestions, and the office's ruling on each (written to our ledger).

An import is all or nothing: `exchange.read` checks the whole export first (signatures, the log's
growth since we last saw it, every receipt and every fingerprint commitment) and nothing of a
refused export is kept, only the reason, on the peer's row.
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.inbox.models import NotificationKind
from madang.inbox.services import notify
from madang.ledger import services as ledger
from madang.people.models import User
from madang.priority import exchange, rules, selectors
from madang.priority import ledger_entries as entries
from madang.priority.models import (
    Filing,
    KeyChange,
    KeyStatement,
    Match,
    Peer,
    PeerCheckpoint,
    PeerKey,
    Ruling,
    Verdict,
)
from madang.solvers import fingerprint, tlog
from madang.solvers.tlog.checkpoint import encode_hash
from madang.suggestions import fingerprints
from madang.suggestions import services as suggestion_services
from madang.suggestions.models import Suggestion

# Estimated Jaccard similarity of the two texts' terms from which a filing is shown to the office.
# In bench/fingerprint.md, 99% of resubmissions of one idea measured 0.645 or more, and 99% of
# near-misses (same theme and frames, another proposal) 0.58 or less: the threshold sits between,
# and the office reads each match and rules; nothing is decided for it.
THRESHOLD = 0.6
MAX_EXPORT_BYTES = 64 * 1024 * 1024
FETCH_TIMEOUT = 30


def _manager(actor: User | None) -> None:
    # None: the command line or the worker, run by whoever runs the site.
    if actor is not None and not rules.can_manage_peers(actor):
        raise Forbidden(_("Only a site administrator can change the agencies we check against."))


def _ledger_key(vkey: str) -> str:
    vkey = vkey.strip()
    try:
        verifier = tlog.parse_vkey(vkey)
    except tlog.NoteError as exc:
        raise DomainError(_("That is not a ledger public key (name+id+key)."), code="bad_vkey", field="vkey") from exc
    if isinstance(verifier, tlog.CosignatureVerifier):
        raise DomainError(_("That is a witness's key, not a ledger's."), code="bad_vkey", field="vkey")
    return vkey


def add_peer(*, actor: User | None, name: str, origin: str, vkey: str, url: str = "") -> Peer:
    """Trust another agency's ledger: its name and public key as it gave them to us."""
    _manager(actor)
    name = clean_text(name, field="name", limit=120, required=True)
    origin = clean_text(origin, field="origin", limit=200, required=True)
    vkey = _ledger_key(vkey)
    if url and urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise DomainError(_("The export address must start with http:// or https://."), code="bad_url", field="url")
    known = Peer.objects.filter(origin=origin).first()
    if known is not None and known.vkey != vkey:
        # Adding it again would forget the checkpoints we verified, and trust a key nobody vouched for.
        raise DomainError(
            _(
                "%(peer)s is already configured with another key. A new key is followed when its export carries "
                "it signed with the key we know; otherwise a site administrator records it with the reason "
                "(madang priority key)."
            )
            % {"peer": known.name},
            code="key_change",
            field="vkey",
        )
    if known is not None or Peer.objects.filter(name=name).exists():
        raise DomainError(_("An agency with this name or ledger is already configured."), code="duplicate")
    with transaction.atomic():
        peer = Peer.objects.create(name=name, origin=origin, vkey=vkey, url=url)
        PeerKey.objects.create(peer=peer, vkey=vkey, how=KeyChange.INITIAL, recorded_by=actor)
    return peer


def _trust(peer: Peer, key: PeerKey, actor: User | None) -> None:
    """`key` is now the one `peer`'s exports are checked with; the change goes to our ledger."""
    peer.vkey = key.vkey
    peer.save(update_fields=["vkey"])
    ledger.record(
        kind=entries.PriorityEntry.PEER_KEY,
        subject=entries.peer_subject(peer.pk),
        actor_id=actor.pk if actor else None,
        data=entries.peer_key_body(key),
        commitments={"reason": key.reason},
    )


def record_peer_key(*, actor: User | None, peer: Peer, vkey: str, reason: str) -> PeerKey:
    """A site administrator trusts a new key for a peer's ledger that no key we trust vouched for (the
    agency told them by other means), saying why. The old keys still verify the receipts they signed."""
    _manager(actor)
    vkey = _ledger_key(vkey)
    reason = clean_text(reason, field="reason", limit=2000, required=True)
    with transaction.atomic():
        peer = Peer.objects.select_for_update().get(pk=peer.pk)
        if PeerKey.objects.filter(peer=peer, vkey=vkey).exists():
            raise DomainError(_("This key is already trusted for %(peer)s.") % {"peer": peer.name}, code="duplicate")
        key = PeerKey.objects.create(peer=peer, vkey=vkey, how=KeyChange.RECORDED, reason=reason, recorded_by=actor)
        _trust(peer, key, actor)
    return key


def announce_keys() -> KeyStatement | None:
    """While our key file holds two keys (a rotation, docs/ledger.md), keep a statement of both, signed
    by each, for every later export: a peer that trusts the old key follows to the new one even after
    the old private key is gone. None when the file holds one key."""
    made = selectors.key_statement_now()
    if made is None:
        return None
    return KeyStatement.objects.get_or_create(text=made)[0]


@dataclass(frozen=True)
class Imported:
    peer: Peer
    size: int  # the peer's log size the export was proven to
    new: int  # filings we did not have
    known: int  # filings we had already
    other_key: int  # filings made with another exchange key (not comparable)
    matches: int  # new matches with our suggestions


def import_export(*, actor: User | None, peer: Peer, data: bytes) -> Imported:
    """Check a peer's export and keep what it proves; then match its filings with our suggestions.
    A refused export leaves nothing but its reason, on the peer's row."""
    _manager(actor)
    try:
        return _import(peer, data)
    except DomainError as exc:
        Peer.objects.filter(pk=peer.pk).update(last_error=str(exc.message)[:500])
        raise


def _import(peer: Peer, data: bytes) -> Imported:
    key = fingerprints.exchange_key()
    if key is None:
        raise DomainError(
            _("This site has no exchange key (MADANG_FINGERPRINT_KEY): it cannot compare fingerprints."),
            code="no_key",
        )
    if len(data) > MAX_EXPORT_BYTES:
        raise exchange.Refused(_("The export is too large."), code="too_large")
    with transaction.atomic():
        peer = Peer.objects.select_for_update().get(pk=peer.pk)
        last = selectors.seen(peer)
        proven = exchange.read(
            data,
            peer=peer.name,
            origin=peer.origin,
            vkey=peer.vkey,
            key_id=key.key_id,
            seen=exchange.Seen(last.size, bytes.fromhex(last.root_hash)) if last else None,
            retired=[k for k in PeerKey.objects.filter(peer=peer).values_list("vkey", flat=True) if k != peer.vkey],
        )
        for endorsed in proven.new_keys:
            # The key we knew vouched for this one, and this one signed the statement too.
            followed = PeerKey.objects.create(
                peer=peer, vkey=endorsed.vkey, how=KeyChange.SIGNED, statement=endorsed.statement
            )
            _trust(peer, followed, None)
        if proven.checkpoint.size == 0:
            # An empty log holds no filing, and there is no growth to prove from size 0.
            return Imported(peer, 0, 0, 0, 0, 0)
        if last is not None and proven.checkpoint.size == last.size:
            checkpoint = last
        else:
            checkpoint = PeerCheckpoint.objects.create(
                peer=peer,
                size=proven.checkpoint.size,
                root_hash=proven.checkpoint.root_hash.hex(),
                note=proven.note,
                key=PeerKey.objects.filter(peer=peer, vkey=proven.signed_by).first(),
            )
        known = {
            f.log_index: bytes(f.entry)
            for f in Filing.objects.filter(peer=peer, log_index__in=[p.index for p in proven.filings])
        }
        for p in proven.filings:
            if p.index in known and known[p.index] != p.entry:
                # Consistent logs cannot hold two entries at one index; this is a second history.
                raise exchange.Refused(
                    _("Entry %(index)s of %(peer)s is not the entry we were shown before.")
                    % {"index": p.index, "peer": peer.name},
                    code="forked",
                )
        fresh = [
            Filing(
                peer=peer,
                log_index=p.index,
                entry=p.entry,
                proof="\n".join(encode_hash(h) for h in p.proof),
                checkpoint=checkpoint,
                fingerprint=p.fingerprint_text,
                salt=p.salt,
                number=p.number,
                received_on=p.received_on,
                recorded_at=p.recorded_at,
                **_first_fields(p.first),
            )
            for p in proven.filings
            if p.index not in known
        ]
        Filing.objects.bulk_create(fresh)
        # A filing kept before its lineage could be proven (not yet in the log then) gets its first
        # filing now, with the proofs of this checkpoint, its own receipt's included.
        for p in proven.filings:
            if p.index in known and p.first is not None:
                Filing.objects.filter(peer=peer, log_index=p.index, first_filed_on__isnull=True).update(
                    proof="\n".join(encode_hash(h) for h in p.proof), checkpoint=checkpoint, **_first_fields(p.first)
                )
        peer.last_import_at = timezone.now()
        peer.last_error = ""
        peer.save(update_fields=["last_import_at", "last_error"])
        # All of the peer's filings, not only the new ones: our suggestions received since the last
        # import are matched with its older filings too.
        found = find_matches(filings=Filing.objects.filter(peer=peer))
    return Imported(peer, proven.checkpoint.size, len(fresh), len(known), proven.other_key, found)


def _first_fields(first: exchange.First | None) -> dict[str, Any]:
    if first is None:
        return {}
    return {
        "first_filed_on": first.filed_on,
        "first_recorded_at": first.recorded_at,
        "first_index": first.index,
        "lineage": json.dumps(
            [
                {
                    "index": link.index,
                    "entry": base64.b64encode(link.entry).decode(),
                    "proof": [encode_hash(h) for h in link.proof],
                }
                for link in first.lineage
            ]
        ),
    }


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (an administrator's peer URL)
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
        data: bytes = response.read(MAX_EXPORT_BYTES + 1)
        return data


def fetch(*, actor: User | None, peer: Peer, transport: Any = None) -> Imported:
    """Fetch a peer's export from its address (asking for the growth since what we saw) and import it.
    A refusal or an unreachable peer is kept on the peer's row and raised."""
    _manager(actor)
    if not peer.url:
        raise DomainError(_("%(peer)s has no export address.") % {"peer": peer.name}, code="no_url")
    last = selectors.seen(peer)
    url = peer.url
    if last is not None:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"since": last.size})
    try:
        data = (transport or _get)(url)
    except (OSError, urllib.error.URLError) as exc:
        error = DomainError(
            _("%(peer)s could not be reached: %(error)s") % {"peer": peer.name, "error": str(exc)[:200]},
            code="unreachable",
        )
        Peer.objects.filter(pk=peer.pk).update(last_error=str(error.message)[:500])
        raise error from exc
    return import_export(actor=actor, peer=peer, data=data)


def fetch_due() -> None:
    """Periodic upkeep (the worker): fetch every active peer with an address; errors stay on its row."""
    for peer in Peer.objects.filter(active=True).exclude(url=""):
        try:
            fetch(actor=None, peer=peer)
        except DomainError:
            continue


def find_matches(*, filings: Any = None, suggestions: Any = None) -> int:
    """Match our suggestions with peers' filings (all of either unless given); return how many
    matches are new. Matches already found are kept, with their rulings."""
    key = fingerprints.exchange_key()
    if key is None:
        return 0
    theirs = [
        (f.pk, fingerprint.parse(f.fingerprint))
        for f in (filings if filings is not None else Filing.objects.all()).only("pk", "fingerprint")
    ]
    if not theirs:
        return 0
    ours_qs = suggestions if suggestions is not None else Suggestion.objects.all()
    ours = selectors.own_fingerprints(ours_qs.select_related("proposal", "fingerprint"))
    pairs, _looked = fingerprint.cross_pairs(
        ours, theirs, params=fingerprint.Params(), key_id=key.key_id, threshold=THRESHOLD
    )
    existing = set(
        Match.objects.filter(filing_id__in=[p.right for p in pairs]).values_list("suggestion_id", "filing_id")
    )
    fresh = [
        Match(suggestion_id=p.left, filing_id=p.right, similarity=round(p.estimate, 4))
        for p in pairs
        if (p.left, p.right) not in existing
    ]
    Match.objects.bulk_create(fresh)
    _tell_offices({(m.suggestion_id, m.filing_id) for m in fresh})
    return len(fresh)


def _tell_offices(pairs: set[tuple[int, int]]) -> None:
    """Each new match goes to the inbox of its suggestion's office, which rules on it."""
    if not pairs:
        return
    found = Match.objects.filter(
        suggestion_id__in={s for s, _f in pairs}, filing_id__in={f for _s, f in pairs}
    ).select_related("suggestion__office__organisation", "suggestion__office__standing_call", "suggestion__proposal")
    teams: dict[int, list[User]] = {}
    for m in found.select_related("filing__peer"):
        if (m.suggestion_id, m.filing_id) not in pairs:
            continue
        s, f = m.suggestion, m.filing
        if s.office_id not in teams:
            teams[s.office_id] = suggestion_services.office_team(s.office)
        notify(
            users=teams[s.office_id],
            kind=NotificationKind.PRIORITY,
            proposal=s.proposal,
            params={
                "match": m.pk,
                "suggestion": s.pk,
                "peer": f.peer.name,
                "number": f.number,
                "day": f.priority_date.isoformat(),
                "order": m.order,
            },
        )


def rule(*, actor: User, match: Match, verdict: str, note: str, today: date | None = None) -> Ruling:
    """The office rules on a match: the same idea filed there first (ours is the later filing, 국민
    제안 규정 제6조제3항), the same idea filed here first, or not the same idea. The proven order of
    the two receipts bounds what it may say."""
    if not rules.can_rule(actor, match.suggestion):
        raise Forbidden(_("Only the suggestion office rules on an earlier filing elsewhere."))
    if verdict not in Verdict.values:
        raise DomainError(_("Please choose a ruling."), code="invalid", field="verdict")
    note = clean_text(note, field="note", limit=4000, required=True)
    order = match.order
    if verdict == Verdict.THEIRS_FIRST and order == "ours":
        raise DomainError(
            _("Their receipt is later than ours: theirs cannot have been filed first."), code="order", field="verdict"
        )
    if verdict == Verdict.OURS_FIRST and order == "theirs":
        raise DomainError(
            _("Their receipt is earlier than ours: ours cannot have been filed first."), code="order", field="verdict"
        )
    with transaction.atomic():
        match = Match.objects.select_for_update().select_related("filing__peer", "suggestion").get(pk=match.pk)
        if Ruling.objects.filter(match=match).exists():
            raise DomainError(_("This match has already been ruled on."), code="duplicate")
        r = Ruling.objects.create(
            match=match, verdict=verdict, note=note, ruled_on=today or timezone.localdate(), ruled_by=actor
        )
        ledger.record(
            kind=entries.PriorityEntry.RULED,
            subject=entries.subject(match.suggestion.proposal_id),
            actor_id=actor.pk,
            data=entries.ruled_body(r),
            commitments={"note": note},
        )
    return r
