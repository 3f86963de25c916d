"""ngshare-ts: the nbgrader exchange service (ngshare-compatible) for JupyterHub.

The Python package is a thin launcher: ``ngshare`` / ``python -m ngshare_ts`` exec Node.js
on the bundled service. It also ships the prebuilt JupyterLab extension
``@ngshare-ts/labextension`` as data files.
"""

try:
    from importlib.metadata import PackageNotFoundError, version

    try:
        __version__ = version("ngshare-ts")
    except PackageNotFoundError:  # running from a source checkout
        __version__ = "0.0.0+unknown"
except ImportError:  # pragma: no cover - Python < 3.8
    __version__ = "0.0.0+unknown"


def _jupyter_labextension_paths():
    """Used by `jupyter labextension develop`; pip installs use the shared data files."""
    return [{"src": "labextension", "dest": "@ngshare-ts/labextension"}]


__all__ = ["__version__"]
