"""Case files: the one cattrs converter, YAML and JSON parsing, bulk loading, atomic writes."""

from claimtrack.files._case_files import dumps, load, loads, save
from claimtrack.files._parsing import Limits


__all__ = ["Limits", "dumps", "load", "loads", "save"]
