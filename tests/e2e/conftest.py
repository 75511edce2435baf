"""The e2e tier's fixtures: `bosun` starts the program for a scenario (see scenario.py)."""

import pytest

from tests.e2e.scenario import bosun  # noqa: F401  (the fixture)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # The `bosun` fixture checks the keys a scenario declares only when the scenario itself passed.
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
