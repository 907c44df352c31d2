"""The harvest's per-document tasks on a Dask LocalCluster of 2 worker processes."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.flow


def test_harvest_on_a_local_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from prefect.settings import PREFECT_API_URL
    from prefect_dask.task_runners import DaskTaskRunner

    spec = importlib.util.spec_from_file_location(
        "harvest_flow_dask", REPO / "flows" / "harvest.py"
    )
    assert spec is not None and spec.loader is not None
    flow_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(flow_module)
    shutil.copytree(REPO / "fixtures" / "site", tmp_path / "fixtures" / "site")
    shutil.copy(REPO / "sources.toml", tmp_path / "sources.toml")

    # Workers must report to the test's Prefect API, not start servers of their own.
    api = PREFECT_API_URL.value()
    assert api, "the Prefect test harness sets an API URL"
    old = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api
    try:
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster.scheduler_address) as client,
            distributed.get_task_stream(client) as stream,
        ):
            runner = DaskTaskRunner(address=cluster.scheduler_address)
            summary = flow_module.harvest.with_options(task_runner=runner)(
                sources=str(tmp_path / "sources.toml"), out=str(tmp_path / "out")
            )
            workers = set(client.scheduler_info()["workers"])
    finally:
        if old is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = old
    ran_on = {t["worker"] for t in stream.data}
    assert len(workers) == 2 and ran_on <= workers and ran_on
    assert len(stream.data) >= 1 + 8 + 6  # discover, 8 fetches, 6 extractions ran on Dask
    assert (summary.found, summary.new, summary.failed) == (8, 6, 2)
    assert (summary.projects, summary.indicators) == (23, 116)
    assert len(list((tmp_path / "out" / "indicators").glob("*.parquet"))) == 6
