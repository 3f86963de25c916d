import json
import os
import re

import ngshare_ts_exchange

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def test_version_in_lockstep_with_the_root_package_json():
    with open(os.path.join(ROOT, "package.json")) as fh:
        root = json.load(fh)["version"]
    with open(os.path.join(os.path.dirname(HERE), "pyproject.toml")) as fh:
        pyproject = re.search(r'^version = "([^"]+)"', fh.read(), re.M).group(1)
    assert ngshare_ts_exchange.__version__ == root == pyproject


def test_console_script_entry_point():
    from importlib.metadata import entry_points

    eps = [e for e in entry_points(group="console_scripts") if e.name == "ngshare-course-management"]
    assert [e.value for e in eps] == ["ngshare_ts_exchange.course_management:main"]
