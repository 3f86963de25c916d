"""Running the real `nbgrader` (and `ngshare-course-management`) as a hub user would."""

import os
import subprocess
import sys

BIN = os.path.dirname(sys.executable)


def run(tmp_path, url, *args, env_extra=None, token="tok-123", user="alice", home=None, cwd=None):
    """``nbgrader *args`` as hub user ``user`` with home ``home`` (default tmp_path/home)."""
    home = home or tmp_path / "home"
    (home / ".jupyter").mkdir(parents=True, exist_ok=True)
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        "c = get_config()\nfrom ngshare_ts_exchange import configureExchange\n"
        "configureExchange(c, {!r})\n".format(url)
    )
    env = {
        "PATH": BIN + os.pathsep + "/usr/bin:/bin",
        "HOME": str(home),
        "USER": user,
        "JUPYTERHUB_USER": user,
        "PYTHONWARNINGS": "ignore",
    }
    if token:
        env["JUPYTERHUB_API_TOKEN"] = token
    env.update(env_extra or {})
    return subprocess.run(
        [os.path.join(BIN, "nbgrader"), *args], cwd=str(cwd or home), env=env,
        capture_output=True, text=True, timeout=120,
    )


def assert_one_line_failure(result, words):
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out, out
    critical = [ln for ln in out.splitlines() if "CRITICAL" in ln]
    assert len(critical) == 1, out
    assert words in critical[0], out
