"""The readable reference engines the production engine is held to."""

from .engine import assess_reference, find_contradictions


__all__ = ["assess_reference", "find_contradictions"]
