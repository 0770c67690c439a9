"""Batches: `run_batch(inputs, outdir, options) -> Manifest`.

In: folders and files (or URLs) of plans. Out: an output folder with every plan's JSON, a
lineage and report per series, goals.csv, goals.db and the manifest of the run. Inputs are
found (`discovery.py`), parsed in worker processes (`workers.py`) or on a Dask cluster
(`dask_executor.py`), recorded (`records.py`), grouped into series and linked (`series.py`).
"""

from maalspor.batch.run import BatchOptions, run_batch

__all__ = ["BatchOptions", "run_batch"]
