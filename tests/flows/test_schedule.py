"""Scheduled deployments: prefect.yaml and the --serve schedules register yearly and monthly
cron schedules for the harvest flow on a Prefect API."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.flow


@pytest.fixture(scope="module")
def harvest_flow() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "harvest_flow_sched", REPO / "flows" / "harvest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Prefect finds a deployment's entrypoint through it
    spec.loader.exec_module(module)
    return module


def test_prefect_yaml_declares_the_two_schedules(harvest_flow: ModuleType) -> None:
    config = yaml.safe_load((REPO / "prefect.yaml").read_text("utf-8"))
    by_name = {d["name"]: d for d in config["deployments"]}
    assert set(by_name) == {"harvest-yearly", "harvest-monthly"}
    for name, cron in (("harvest-yearly", harvest_flow.YEARLY_CRON),
                       ("harvest-monthly", harvest_flow.MONTHLY_CRON)):  # fmt: skip
        deployment = by_name[name]
        path, func = deployment["entrypoint"].split(":")
        assert (REPO / path).is_file() and func == "harvest"
        [schedule] = deployment["schedules"]
        assert (schedule["cron"], schedule["timezone"]) == (cron, harvest_flow.SCHEDULE_TIMEZONE)


def test_schedules_are_registered_and_fire_when_expected(harvest_flow: ModuleType) -> None:
    from prefect.client.orchestration import get_client
    from prefect.schedules import Cron

    zone = harvest_flow.SCHEDULE_TIMEZONE
    deployment = harvest_flow.harvest.to_deployment(
        name="harvest-test",
        parameters={"sources": str(REPO / "sources.toml"), "out": "output"},
        schedules=[
            Cron(harvest_flow.YEARLY_CRON, timezone=zone),
            Cron(harvest_flow.MONTHLY_CRON, timezone=zone),
        ],
    )
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
        crons = sorted(s.schedule.cron for s in stored.schedules)
        assert crons == sorted([harvest_flow.YEARLY_CRON, harvest_flow.MONTHLY_CRON])
        assert {s.schedule.timezone for s in stored.schedules} == {zone}
        assert all(s.active for s in stored.schedules)
    # When they fire, computed with cronsim (the cron library Prefect schedules with).
    from cronsim import CronSim

    start = dt.datetime(2026, 11, 25, tzinfo=ZoneInfo(zone))
    yearly = CronSim(harvest_flow.YEARLY_CRON, start)
    assert [next(yearly), next(yearly)] == [
        dt.datetime(2027, 3, 25, 3, tzinfo=ZoneInfo(zone)),
        dt.datetime(2028, 3, 25, 3, tzinfo=ZoneInfo(zone)),
    ]
    monthly = CronSim(harvest_flow.MONTHLY_CRON, start)
    assert next(monthly) == dt.datetime(2026, 12, 1, 4, tzinfo=ZoneInfo(zone))
