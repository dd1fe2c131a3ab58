"""Production-like serving: health checks, hashed static files cached for long, gunicorn."""

import runpy
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_says_the_process_lives_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_says_ready_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.fixture
def collected(tmp_path, settings):
    """collectstatic as `make serve` runs it: whitenoise's compressed manifest storage."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def serve_static(url, **headers):
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    return middleware(RequestFactory().get(url, **headers))


@pytest.mark.django_db  # closing a response signals "request finished", which checks connections
def test_hashed_static_files_are_cached_for_a_long_time(collected):
    from django.templatetags.static import static

    url = static("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"
    response = serve_static(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    response.close()
    unhashed = serve_static("/static/css/site.css")
    assert "immutable" not in unhashed["Cache-Control"]
    unhashed.close()


@pytest.mark.django_db
def test_pages_link_the_hashed_stylesheet(collected, client):
    html = render_to_string("503.html")
    assert "/static/css/site.css" not in html
    assert "/static/css/site." in html


def test_gunicorn_workers_and_address_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8301")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["bind"] == "127.0.0.1:8301"
    assert config["preload_app"] is True


def test_gunicorn_defaults_to_two_workers_per_core_plus_one(monkeypatch):
    import multiprocessing

    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1


def test_gunicorn_warns_when_workers_would_not_share_a_cache(monkeypatch):
    class Log:
        messages = []

        def warning(self, message, *args):
            self.messages.append(message % args)

    server = type("Server", (), {"log": Log()})()
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.delenv("REDIS_URL", raising=False)
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["when_ready"](server)
    assert "REDIS_URL is not set" in Log.messages[0]
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["when_ready"](server)
    assert len(Log.messages) == 1
