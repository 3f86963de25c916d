from nbgrader.exchange import ExchangeFactory
from traitlets.config import Config

import ngshare_ts_exchange as plugin
from ngshare_ts_exchange import configureExchange


def test_sets_every_exchange_factory_class_and_the_url():
    c = Config()
    configureExchange(c, "http://127.0.0.1:8000/services/ngshare")
    factory = ExchangeFactory(config=c)
    assert factory.exchange is plugin.Exchange
    assert factory.fetch_assignment is plugin.ExchangeFetchAssignment
    assert factory.fetch_feedback is plugin.ExchangeFetchFeedback
    assert factory.release_assignment is plugin.ExchangeReleaseAssignment
    assert factory.release_feedback is plugin.ExchangeReleaseFeedback
    assert factory.list is plugin.ExchangeList
    assert factory.submit is plugin.ExchangeSubmit
    assert factory.collect is plugin.ExchangeCollect
    ex = plugin.ExchangeList(config=c)
    assert ex.service_url == "http://127.0.0.1:8000/services/ngshare"


def test_ngshare_exchange_trait_name_still_works():
    c = Config()
    configureExchange(c)
    c.Exchange._ngshare_url = "http://h/services/ngshare"
    assert plugin.ExchangeSubmit(config=c).service_url == "http://h/services/ngshare"


def test_k8s_default_url_from_proxy_public_service_host(monkeypatch):
    monkeypatch.setenv("PROXY_PUBLIC_SERVICE_HOST", "10.0.0.1")
    c = Config()
    configureExchange(c)
    assert plugin.Exchange(config=c).service_url == "http://proxy-public/services/ngshare"


def test_user_name_from_jupyterhub_user_else_user(monkeypatch):
    monkeypatch.setenv("USER", "unix")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert plugin.Exchange().username == "unix"
    monkeypatch.setenv("JUPYTERHUB_USER", "hubber")
    assert plugin.Exchange().username == "hubber"
