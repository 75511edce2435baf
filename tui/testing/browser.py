"""`bosun serve` under test: the real command in a subprocess, and a real headless Chromium.

The browser is Debian's chromium driven through Debian's chromium-driver
(both installed by tests/run); Selenium is pointed at both binaries, so it
downloads nothing. xterm.js draws on a canvas, which a test cannot read: a
script injected before the page loads keeps a copy of every frame the page's
terminal is given, and `Browser.screen()` replays those bytes through pyte —
the text the browser drew, cell for cell.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pyte
from tui.testing.waits import wait_until_sync

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class Served:
    """`python -m tui serve ...` on a free loopback port."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None, bind: str = "127.0.0.1:0") -> None:
        self.audit_path = tmp / "audit.log"
        full_env = {**os.environ, "XDG_CONFIG_HOME": str(tmp / "config"), "XDG_STATE_HOME": str(tmp / "state"),
                    **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", "--bind", bind, "--audit-log", str(self.audit_path), *args],
            cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=lambda s=stream, k=sink: [k.append(line) for line in s], daemon=True).start()

    def started(self) -> Served:
        line = wait_until_sync(lambda: next((l for l in self.out if " open http" in l), None)
                               or self.proc.poll() is not None,
                               "bosun serve to print its URL", timeout=30, detail=self.output)
        if line is True:
            raise AssertionError(f"bosun serve exited with {self.proc.returncode}:\n{self.output()}")
        self.url = re.search(r"open (\S+)", line).group(1)
        self.base = self.url.split("?")[0].rstrip("/")
        self.token = self.url.split("token=", 1)[1] if "token=" in self.url else ""
        return self

    def output(self) -> str:
        return "".join(self.out) + "".join(self.err)

    def audit(self) -> list[dict]:
        if not self.audit_path.exists():
            return []
        return [json.loads(line) for line in self.audit_path.read_text().splitlines() if line.strip()]

    def wait_exit(self, timeout: float = 30) -> int:
        wait_until_sync(lambda: self.proc.poll() is not None, "bosun serve to exit", timeout=timeout,
                        detail=self.output)
        return self.proc.returncode

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# Wraps the page's WebSocket before textual.js runs: frames to the terminal are
# kept (base64) for the test to read; messages the page sends are kept too (resize).
HOOK = r"""
(() => {
  const Native = window.WebSocket;
  window.__bosun = {frames: [], sent: [], sockets: []};
  function Hooked(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    window.__bosun.sockets.push(ws);
    ws.addEventListener('message', (e) => {
      if (typeof e.data === 'string') { window.__bosun.sent.push('<' + e.data); return; }
      const bytes = new Uint8Array(e.data);
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      window.__bosun.frames.push(btoa(s));
    });
    const send = ws.send.bind(ws);
    ws.send = (data) => { if (typeof data === 'string') window.__bosun.sent.push(data); return send(data); };
    return ws;
  }
  Hooked.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Hooked[k] = Native[k];
  window.WebSocket = Hooked;
})();
"""


def missing_browser() -> str | None:
    """What is missing to drive a browser, or None."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(binary):
            return f"{binary} is missing: tests/run installs chromium and chromium-driver"
    return None


class Browser:
    def __init__(self, width: int = 1400, height: int = 900, downloads: Path | None = None) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    f"--window-size={width},{height}", "--no-first-run", "--disable-extensions"):
            options.add_argument(arg)
        if downloads is not None:
            options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                      "download.prompt_for_download": False})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
        if downloads is not None:
            self.driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                                        {"behavior": "allow", "downloadPath": str(downloads)})
        self._reset(80, 24)

    def _reset(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.term = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.term)

    def open(self, url: str) -> None:
        self._reset(80, 24)
        self.driver.get(url)

    def _pull(self) -> None:
        got = self.driver.execute_script(
            "const b = window.__bosun; if (!b) return null;"
            "return {frames: b.frames.splice(0), sent: b.sent.splice(0)};")
        if not got:
            return
        for message in got["sent"]:
            if message.startswith('["resize"'):
                size = json.loads(message)[1]
                self.cols, self.rows = size["width"], size["height"]
                self.term.resize(self.rows, self.cols)
        for frame in got["frames"]:
            self.stream.feed(base64.b64decode(frame))

    def screen(self) -> str:
        self._pull()
        return "\n".join(self.term.display)

    def color_at(self, text: str) -> tuple[str, str] | None:
        """(fg, bg) where `text` first shows on the page: focus shows only in colours."""
        self._pull()
        for y, line in enumerate(self.term.display):
            x = line.find(text)
            if x >= 0:
                cell = self.term.buffer[y][x]
                return cell.fg, cell.bg
        return None

    def wait_for(self, text: str, what: str | None = None, timeout: float = 30) -> str:
        """Wait until `text` is on the page; returns the page's text then."""
        def seen() -> str | None:
            screen = self.screen()
            return screen if text in screen else None

        return wait_until_sync(seen, what or f"{text!r} on the page", timeout=timeout, detail=self.screen)

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        area = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        self.driver.execute_script("arguments[0].focus()", area)
        ActionChains(self.driver).send_keys(*keys).perform()

    def ctrl(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(key).key_up(Keys.CONTROL).perform()

    def socket_closed(self) -> bool:
        return bool(self.driver.execute_script(
            "const s = (window.__bosun || {sockets: []}).sockets; return s.length > 0 && s.every(w => w.readyState === 3);"))

    def body_text(self) -> str:
        return self.driver.execute_script("return document.body ? document.body.innerText : ''")

    def close(self) -> None:
        self.driver.quit()
