"""Case files: the one cattrs converter, YAML and JSON parsing, bulk loading, atomic writes."""

from claimtrack.files._case_files import Limits, dumps, load, loads, save


__all__ = ["Limits", "dumps", "load", "loads", "save"]
