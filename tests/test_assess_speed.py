"""The fast engine: the same judgements as the reference engine, with reasons built on demand."""

from __future__ import annotations

import hashlib
import random
import sys

from pathlib import Path

import pytest

import claimtrack

from claimtrack import Settings
from claimtrack._io import CONVERTER
from claimtrack._text import json_text


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"
GOLDEN = Path(__file__).parent / "data" / "golden"

# sha256 of `claimtrack assess --format json` for the synthetic benchmark corpus, before the
# engine was made fast: the fast engine must give the very same bytes.
CORPUS_DIGESTS = {
    False: "b9fa71b30b7fda55312a6db733927678c67fa5f9235e89f98e6010d4dc8a9954",
    True: "0839be19760c27064138f27c5b1e9c40965a86b319674bee36fc55daf51e08dd",
}


def _json(case: claimtrack.Case, merge: bool = False) -> str:
    return json_text(CONVERTER.unstructure(case.assess(Settings(merge_echoes=merge)))) + "\n"


def _corpus(n: int) -> claimtrack.Case:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from claimtrack._io import case_from_data

    data = corpus.generate(n)
    rnd = random.Random(3)  # noqa: S311 - a seeded shuffle, not a secret
    claims = list(data["claims"])
    for cid in claims[::7]:
        data["claims"][cid]["about"] = ["ministry-1", "agency-0"]
    for i, att in enumerate(data["attributions"]):
        roll = rnd.random()
        if "quote" in att:
            att["quote"] = f"the words on {att['claim']}"
        if roll < 0.04:
            att["stance"] = "retracts"
        elif roll < 0.08:
            att["stance"] = "doubts"
        elif roll < 0.10:
            att["mode"] = "purported"
        elif roll < 0.12:
            att["credibility"] = 1 + i % 6
        if rnd.random() < 0.3:
            att["said"] = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
    data["relations"] = [
        {"kind": kind, "claims": [claims[j], claims[j + k]]}
        for j, (kind, k) in enumerate(
            (("contradicts", 1), ("supports", 2), ("refines", 1), ("supersedes", 3)) * 20
        )
    ]
    return case_from_data(data)


def test_seed_json_is_unchanged():
    """`claimtrack assess --format json` gives the same bytes for the seed case as before."""
    golden = (GOLDEN / "assess-iraq-2024.json").read_text(encoding="utf-8")
    assert _json(claimtrack.load(SEED)) == golden


@pytest.mark.parametrize("merge", [False, True])
def test_corpus_json_is_unchanged(merge):
    """The JSON for a 2,000-attribution synthetic corpus is byte for byte what it was."""
    digest = hashlib.sha256(_json(_corpus(2000), merge).encode()).hexdigest()
    assert digest == CORPUS_DIGESTS[merge]
