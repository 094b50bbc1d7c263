"""W3C PROV: who said what, through whom, as agents, entities and their relations.

The mapping:

- each source is an **agent** (``prov:Person`` for people and anonymous speakers,
  ``prov:Organization`` otherwise); its affiliations are ``actedOnBehalfOf``;
- each document is an **entity** ``wasAttributedTo`` its publisher and generated at its
  publication time;
- each claim is an **entity** (the analyst's words);
- each attribution is a **statement**, an entity ``wasAttributedTo`` its speaker, with
  its stance, mode and quote; the claim ``wasDerivedFrom`` it;
- each reporter in the chain (*via*) relays the statement: a relay entity
  ``wasAttributedTo`` the reporter. The document quotes (``wasQuotedFrom``, when the
  attribution has a quote) or derives from the nearest relay, each relay from the next,
  the last from the statement; the statement, the origin's words, is the document's
  ``hadPrimarySource``.
"""

from __future__ import annotations

import datetime as dt

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs

from claimtrack.model._case import Case
from claimtrack.model._records import Attribution, Moment, SourceKind


if TYPE_CHECKING:
    from prov.model import ProvAgent, ProvDocument, ProvEntity


NAMESPACE = "urn:claimtrack:"
"""The URI of the ``claimtrack`` prefix; records are ``claimtrack:source/ID`` and the like."""

_PEOPLE = (SourceKind.PERSON, SourceKind.ANONYMOUS)


def _name(section: str, key: str | int) -> str:
    return f"claimtrack:{section}/{quote(str(key), safe='-._~')}"


def _time(moment: Moment) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime(moment.year, moment.month, moment.day)  # noqa: DTZ001 - a day has no zone


def to_prov(case: Case) -> ProvDocument:
    """The case as a W3C PROV document (see the module's description for the mapping).

    Serialise it with ``doc.serialize(format="json")`` (PROV-JSON) or ``doc.get_provn()``
    (PROV-N).

    Raises:
        ModuleNotFoundError: The ``prov`` package is not installed; the message names the extra.
    """
    try:
        from prov.model import ProvDocument  # noqa: PLC0415 - an optional extra
    except ModuleNotFoundError as e:
        msg = 'the PROV export needs the prov package: pip install "claimtrack[prov]"'
        raise ModuleNotFoundError(msg, name=e.name) from None

    doc = ProvDocument()
    doc.add_namespace("claimtrack", NAMESPACE)
    builder = _Builder(case, doc)
    builder.sources()
    builder.documents()
    builder.claims()
    for i, att in enumerate(case.attributions):
        builder.attribution(i, att)
    return doc


@attrs.define
class _Builder:
    case: Case
    doc: ProvDocument
    agents: dict[str, ProvAgent] = attrs.Factory(dict)
    entities: dict[str, ProvEntity] = attrs.Factory(dict)
    claim_entities: dict[str, ProvEntity] = attrs.Factory(dict)

    def sources(self) -> None:
        from prov.model import PROV  # noqa: PLC0415 - an optional extra

        for sid, source in self.case.sources.items():
            attributes: dict[str, Any] = {
                "prov:type": PROV["Person" if source.kind in _PEOPLE else "Organization"],
                "prov:label": source.name,
                "claimtrack:kind": source.kind.value,
            }
            if source.reliability is not None:
                attributes["claimtrack:reliability"] = source.reliability.value
            if source.role is not None:
                attributes["claimtrack:role"] = source.role
            self.agents[sid] = self.doc.agent(_name("source", sid), attributes)
        for sid, source in self.case.sources.items():
            for kind, tie in source.affiliations():
                if tie.source in self.agents:
                    self.doc.actedOnBehalfOf(
                        self.agents[sid],
                        self.agents[tie.source],
                        other_attributes={"claimtrack:affiliation": kind.value},
                    )

    def documents(self) -> None:
        for did, document in self.case.documents.items():
            attributes = {"prov:label": document.title, "claimtrack:kind": document.kind.value}
            if document.url is not None:
                attributes["prov:location"] = document.url
            entity = self.doc.entity(_name("document", did), attributes)
            self.entities[did] = entity
            if document.publisher in self.agents:
                self.doc.wasAttributedTo(entity, self.agents[document.publisher])
            if document.published is not None:
                self.doc.wasGeneratedBy(entity, time=_time(document.published))

    def claims(self) -> None:
        for cid, claim in self.case.claims.items():
            attributes = {"prov:label": claim.text}
            if claim.question is not None:
                attributes["claimtrack:question"] = claim.question
            if claim.value is not None:
                attributes["claimtrack:value"] = str(claim.value)
            self.claim_entities[cid] = self.doc.entity(_name("claim", cid), attributes)

    def attribution(self, i: int, att: Attribution) -> None:
        claim = self.claim_entities.get(att.claim)
        attributes: dict[str, Any] = {
            "prov:label": f"{att.stance.value}: {att.claim}",
            "claimtrack:claim": claim.identifier if claim is not None else att.claim,
            "claimtrack:stance": att.stance.value,
            "claimtrack:mode": att.mode.value,
        }
        if att.quote is not None:
            attributes["prov:value"] = att.quote
        statement = self.doc.entity(_name("statement", i), attributes)
        if att.source in self.agents:
            self.doc.wasAttributedTo(statement, self.agents[att.source])
        if att.said is not None:
            self.doc.wasGeneratedBy(statement, time=_time(att.said))
        if claim is not None:
            self.doc.wasDerivedFrom(
                claim, statement, other_attributes={"claimtrack:stance": att.stance.value}
            )
        document = self.entities.get(att.document or "")
        if document is None:
            return
        carrier = document
        for k, reporter in enumerate(att.via):
            relay = self.doc.entity(
                _name("relay", f"{i}.{k}"),
                {
                    "prov:label": f"relayed by {reporter}",
                    "claimtrack:statement": statement.identifier,
                },
            )
            if reporter in self.agents:
                self.doc.wasAttributedTo(relay, self.agents[reporter])
            self._link(carrier, relay, quoted=att.quote is not None)
            carrier = relay
        self._link(carrier, statement, quoted=att.quote is not None)
        self.doc.hadPrimarySource(document, statement)

    def _link(self, later: ProvEntity, earlier: ProvEntity, *, quoted: bool) -> None:
        if quoted:
            self.doc.wasQuotedFrom(later, earlier)
        else:
            self.doc.wasDerivedFrom(later, earlier)
