"""Assessment on a Dask cluster: a Parquet dataset judged a connected part at a time.

``claimtrack.dask.write_dataset(case, DIR)`` writes a case as a Parquet dataset (as
``claimtrack export CASE --to parquet DIR`` does); ``claimtrack.dask.assess(DIR,
client=client)`` returns a lazy
``dask.dataframe.DataFrame`` with one row per claim. Needs ``pip install
"claimtrack[dask]"``.
"""

from claimtrack.dask._assess import COLUMNS, PART_ATTRIBUTIONS, WAVE_ATTRIBUTIONS, assess, parts
from claimtrack.files._parquet import dump_dataset as write_dataset


__all__ = ["COLUMNS", "PART_ATTRIBUTIONS", "WAVE_ATTRIBUTIONS", "assess", "parts", "write_dataset"]
