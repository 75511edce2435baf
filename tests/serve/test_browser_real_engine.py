"""`bosun serve` on a real engine: a shell in a real container, typed into and read in Chromium."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
from selenium.webdriver.common.keys import Keys

from tests.conftest import real_engine_url

pytestmark = [pytest.mark.engine, pytest.mark.timeout(180)]


@pytest.fixture
def container():
    url = real_engine_url("docker")
    image = os.environ.get("BOSUN_TEST_IMAGE", "bosun-test:latest")
    tag = uuid.uuid4().hex[:8]
    name = f"serve-shell-{tag}"
    env = {**os.environ, "DOCKER_HOST": url}
    subprocess.run(["docker", "run", "-d", "--name", name, "--label", f"bosun-serve-test={tag}", image,
                    "sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"], check=True, env=env, capture_output=True)
    yield url, name, tag
    subprocess.run(["docker", "rm", "-f", name], env=env, capture_output=True)


def test_a_shell_in_a_real_container_from_the_browser(serve, browser, container):
    url, name, tag = container
    served = serve("--host", url, "--label", f"bosun-serve-test={tag}", "--allow-actions", "--allow-shells")
    browser.open(served.url)
    browser.wait_for(name, "the container's name on the page")
    browser.wait_for("● running", "the container running")
    browser.keys("e")
    browser.wait_for(f"sh: {name}", "the shell tab")
    browser.wait_for("# ", "the container shell's prompt")
    browser.keys("echo answer-$((6*7))", Keys.ENTER)
    # Only the shell computes 42: the typed line holds $((6*7)).
    browser.wait_for("answer-42", "echo's output from the container")
    exec_ok = [r for r in served.audit() if r["event"] == "action" and r["action"] == "exec"]
    assert exec_ok and exec_ok[0]["result"] == "ok"
