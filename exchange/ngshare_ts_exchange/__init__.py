"""nbgrader exchange plugin for ngshare-ts (and ngshare 0.6).

In nbgrader_config.py::

    from ngshare_ts_exchange import configureExchange
    configureExchange(c, 'http://127.0.0.1:8000/services/ngshare')
"""

from ._version import __version__
from .collect import ExchangeCollect
from .configure import configureExchange
from .exchange import Exchange
from .fetch_assignment import ExchangeFetchAssignment
from .fetch_feedback import ExchangeFetchFeedback
from .list import ExchangeList
from .release_assignment import ExchangeReleaseAssignment
from .release_feedback import ExchangeReleaseFeedback
from .submit import ExchangeSubmit

__all__ = [
    "Exchange",
    "ExchangeCollect",
    "ExchangeFetchAssignment",
    "ExchangeFetchFeedback",
    "ExchangeList",
    "ExchangeReleaseAssignment",
    "ExchangeReleaseFeedback",
    "ExchangeSubmit",
    "configureExchange",
    "__version__",
]
