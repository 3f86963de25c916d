# Sphinx configuration of the docs site (scripts/build-docs.sh): the Markdown files of docs/ with
# MyST, README.md as the start page, GitHub-style heading anchors so that the links written for
# GitHub (`page.md#some-heading`) resolve here too.
project = "ngshare-ts"
copyright = "ngshare-ts contributors"
root_doc = "README"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = []
myst_heading_anchors = 4
myst_enable_extensions = []
html_theme = "alabaster"
html_title = "ngshare-ts documentation"
html_sidebars = {"**": ["about.html", "navigation.html", "searchbox.html"]}
html_theme_options = {
    "description": "nbgrader exchange service for JupyterHub",
    "github_user": "ngshare-ts",
    "github_repo": "ngshare-ts",
    "page_width": "1100px",
}
# the source tree, not the site, is where these live
html_extra_path = []

# The pages' order in the site's navigation. The start page gets it as a hidden toctree at build
# time, so the Markdown files stay plain (a toctree block would show up raw on GitHub).
NAV = [
    "student-guide",
    "instructor-guide",
    "admin/README",
    "admin/install",
    "admin/jupyterhub-managed-service",
    "admin/zero-to-jupyterhub",
    "admin/standalone",
    "admin/nbgrader-setup",
    "admin/postgresql-and-replicas",
    "admin/upgrading-from-ngshare-0.6",
    "admin/troubleshooting",
    "switching-from-ngshare",
    "differences-from-ngshare",
    "performance",
    "cli",
    "architecture",
]


def _add_nav(app, docname, source):
    if docname == root_doc:
        source[0] += "\n\n```{toctree}\n:hidden:\n:maxdepth: 2\n\n" + "\n".join(NAV) + "\n```\n"


def setup(app):
    app.connect("source-read", _add_nav)
