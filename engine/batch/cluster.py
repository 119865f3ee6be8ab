"""The batch's chunks on a Dask cluster: the same pure function, run by the workers.

Scoring a chunk depends only on the work (the rule book, weight set, form and the export's
layout) and the chunk's rows, so the client reads the export, sends each chunk to a worker
and writes the results in the export's order: the files are the same bytes as a run in one
process. The work is sent to every worker once; a few chunks are in flight at a time, so
the client's memory stays flat however long the export is. Workers need this package
installed (``pip install 'reintegrate[dask]'``) in the same version as the client.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

import pyarrow as pa

from engine.batch.run import BatchWork, ChunkRunner, score_chunk
from engine.errors import ArgumentError, Problem

IN_FLIGHT_PER_WORKER = 2


def on_cluster(address: str) -> ChunkRunner:
    """A runner that scores chunks on the Dask scheduler at ``address``."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise ArgumentError([Problem("--dask", None, "Dask is not installed",
                                     hint="pip install 'reintegrate[dask]'")]) from None

    def run(work: BatchWork, chunks: Iterable[tuple[pa.Table, int]]
            ) -> Iterator[tuple[pa.Table, pa.Table]]:
        try:
            client = Client(address, timeout="10s")
        except OSError as exc:
            raise ArgumentError([Problem("--dask", None, f"no Dask scheduler at {address}: "
                                         f"{exc}", hint="start one with 'dask scheduler' and "
                                         "'dask worker ADDRESS', or check the address")]) from None
        try:
            shared = client.scatter(work, broadcast=True)
            in_flight = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
            pending: deque = deque()
            for batch, first_row in chunks:
                pending.append(client.submit(score_chunk, shared, batch, first_row, pure=False))
                if len(pending) >= in_flight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            client.close()

    return run
