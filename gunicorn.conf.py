"""gunicorn settings for CoopNet: `gunicorn -c gunicorn.conf.py coopnet.wsgi` (or `make serve`).

Every value comes from the environment; docs/deploy.md explains the choices.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the portal does short database-bound requests. (2 x cores) + 1 by default.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so a slow leak can never grow for long; but not often: a new
# worker starts without what the old one kept (cards, drawn filter forms, remembered searches;
# the facet index it takes from Redis). What a worker keeps is bounded (the "cards" and
# "filterforms" caches' MAX_ENTRIES, REMEMBERED in discovery/facets.py, one facet index): on
# 30 November 2026 a worker measured 108 MB after a cold load run at 10,000 case studies, 76 MB
# for the master that preloaded the application; 5,000 requests recycled each worker every few
# minutes under load. The jitter (a quarter) spreads the restarts, so workers seldom restart
# together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 4))
# Load the application once, before forking, so a broken configuration stops start-up at once.
preload_app = True
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Behind a reverse proxy on another host, list its address (X-Forwarded-* are trusted from it).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "coopnet"


def when_ready(server):
    if workers > 1 and not os.environ.get("REDIS_URL"):
        server.log.warning(
            "REDIS_URL is not set: each of the %d workers caches pages in its own memory, so a "
            "content change may take up to PAGE_CACHE_SECONDS to reach every worker. Set "
            "REDIS_URL (docs/deploy.md) for one shared cache.",
            workers,
        )


def pre_fork(server, worker):
    """Move what the preloaded application allocated out of the garbage collector's sight: the
    workers' collections then walk only what requests allocate (in process, a cold list request
    spent 4.6 ms of CPU in collections, 2.5 ms with this), and the shared pages are not touched
    by the collector, so they stay shared (copy-on-write)."""
    gc.freeze()
