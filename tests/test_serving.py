"""Production-like serving: health checks, hashed static files cached for long, gunicorn."""

import runpy
import sys
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_serves_the_portal_with_production_settings(tmp_path):
    """What `make serve` runs: gunicorn with gunicorn.conf.py, debug off."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SECRET_KEY="a-secret-key-for-this-test-only-" * 2,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "coopnet.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body, headers = r.read(), r.headers
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()
    assert body == b'{"status": "ok"}'
    assert headers["Server"] == "gunicorn"
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.slow
@pytest.mark.django_db
def test_the_benchmark_generator_fills_the_database(principles, monkeypatch):
    """bench/generate.py (used by the query benchmark and the load test) makes real content."""
    import importlib.util

    from django.db import connection

    from casestudies.models import CaseStudy

    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench/generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    # It refuses any database whose name lacks "bench": this test database counts as one.
    monkeypatch.setitem(connection.settings_dict, "NAME", "test_bench")
    generate.generate(40, seed=1)
    assert CaseStudy.objects.count() == 40
    assert 0 < CaseStudy.objects.published().count() < 40
    assert all(case_study.principles.exists() for case_study in CaseStudy.objects.all()[:10])
    generate.generate(20, seed=1)  # repeatable: replaces what the last run made
    assert CaseStudy.objects.count() == 20


@pytest.mark.django_db
def test_the_benchmark_generator_refuses_other_databases(monkeypatch):
    import importlib.util

    from django.db import connection

    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench/generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    monkeypatch.setitem(connection.settings_dict, "NAME", "coopnet")
    with pytest.raises(SystemExit, match="Refusing"):
        generate.generate(5, seed=1)
