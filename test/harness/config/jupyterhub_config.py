# JupyterHub configuration for the ngshare-ts end-to-end tests (JupyterHub 4.x and 5.x).
#
# Everything run-specific (ports, folders, tokens, the ngshare command) comes from the JSON file
# named by $NGSHARE_E2E_SETTINGS, written by test/harness/hub.ts. Extra configuration: drop a
# Python file into test/harness/config/hub-config.d/; each *.py there is executed at the end, in
# name order, with `c` (the config), `settings` (that JSON as a dict) and `hub_major` (4 or 5).
import glob
import json
import os
import sys
from pathlib import Path

import jupyterhub

settings = json.loads(Path(os.environ["NGSHARE_E2E_SETTINGS"]).read_text())
hub_major = int(jupyterhub.__version__.split(".")[0])
work = Path(settings["workDir"])
c = get_config()  # noqa: F821 (provided by traitlets)

# --- network: loopback only, random free ports chosen by the harness -------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["proxyPort"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hubPort"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % settings["proxyApiPort"]
c.ConfigurableHTTPProxy.command = settings["proxyCommand"]
c.ConfigurableHTTPProxy.pid_file = str(work / "proxy.pid")

# --- state in the per-run work folder -----------------------------------------------------------
c.JupyterHub.db_url = "sqlite:///" + str(work / "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = str(work / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(work / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.default_url = "/hub/home"
c.JupyterHub.log_level = settings.get("logLevel", "INFO")

# --- authentication: any password (or the configured one) -----------------------------------------
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.admin_users = set(settings["adminUsers"])
if hub_major >= 5:
    c.Authenticator.allow_all = True
if settings.get("password"):
    c.DummyAuthenticator.password = settings["password"]

# --- spawner: JupyterLab as this OS user, one home folder per hub user ----------------------------
venv_bin = Path(sys.executable).parent
c.JupyterHub.spawner_class = "simple"  # SimpleLocalProcessSpawner
c.SimpleLocalProcessSpawner.home_dir_template = str(Path(settings["homesDir"]) / "{username}")
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.args = ["--ServerApp.allow_root=True"] if os.getuid() == 0 else []
c.Spawner.environment = dict(settings.get("singleuserEnv", {}))

# --- services ---------------------------------------------------------------------------------------
service = {
    "name": settings["serviceName"],
    "url": "http://127.0.0.1:%d" % settings["servicePort"],
    "command": settings["ngshareCommand"],
    "oauth_no_confirm": True,
}
if settings.get("serviceEnv"):
    service["environment"] = settings["serviceEnv"]
c.JupyterHub.services = [
    service,
    # external service whose token the tests use for admin REST calls
    {"name": "e2e-admin", "api_token": settings["adminToken"]},
]
c.JupyterHub.load_roles = [
    # users may open the service in the browser (OAuth); token calls don't need this
    {"name": "user", "scopes": ["self", "access:services!service=" + settings["serviceName"]]},
    # the service may read rosters (groups)
    {
        "name": "ngshare-service",
        "scopes": ["list:groups", "read:groups", "list:users", "read:users:groups"],
        "services": [settings["serviceName"]],
    },
    {
        "name": "e2e-admin",
        "scopes": [
            "admin:users",
            "admin:servers",
            "tokens",
            "admin:groups",
            "list:services",
            "read:services",
            "read:hub",
            "access:services",
            "access:servers",
            "proxy",
        ],
        "services": ["e2e-admin"],
    },
]

# --- extension point for other test suites ----------------------------------------------------------
for extra in sorted(glob.glob(str(Path(__file__).parent / "hub-config.d" / "*.py"))):
    with open(extra) as fh:
        code = compile(fh.read(), extra, "exec")
    exec(code, {"c": c, "settings": settings, "hub_major": hub_major, "__file__": extra})
