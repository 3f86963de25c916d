"""configureExchange(c, url): the one line nbgrader_config.py needs (same call as ngshare_exchange)."""

from .collect import ExchangeCollect
from .exchange import Exchange
from .fetch_assignment import ExchangeFetchAssignment
from .fetch_feedback import ExchangeFetchFeedback
from .list import ExchangeList
from .release_assignment import ExchangeReleaseAssignment
from .release_feedback import ExchangeReleaseFeedback
from .submit import ExchangeSubmit

#: ExchangeFactory trait -> this plugin's class
CLASSES = {
    "exchange": Exchange,
    "fetch_assignment": ExchangeFetchAssignment,
    "fetch_feedback": ExchangeFetchFeedback,
    "release_assignment": ExchangeReleaseAssignment,
    "release_feedback": ExchangeReleaseFeedback,
    "list": ExchangeList,
    "submit": ExchangeSubmit,
    "collect": ExchangeCollect,
}


def configureExchange(c, ngshare_url=None):  # noqa: N802 - ngshare_exchange's name
    """Point every nbgrader exchange operation at the service.

    ``c`` is the config object of nbgrader_config.py (``c = get_config()``); ``ngshare_url``
    is the service URL without a trailing slash, e.g.
    ``http://127.0.0.1:8000/services/ngshare``. Without a URL the zero-to-jupyterhub
    default ``http://proxy-public/services/ngshare`` is used when ``PROXY_PUBLIC_SERVICE_HOST``
    is set.
    """
    for trait, cls in CLASSES.items():
        setattr(c.ExchangeFactory, trait, cls)
    if ngshare_url:
        c.Exchange.ngshare_url = ngshare_url
    return c
