"""gunicorn settings for production: `gunicorn config.wsgi` reads this file from the project
folder. Every value can be overridden from the environment (GUNICORN_*) or the command line."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: pages are either cache hits (a millisecond) or a few fast queries.
# The classic rule, 2 per core + 1, keeps the cores busy while some workers wait on I/O.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request still running after this many seconds is killed and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Keep connections from a load balancer open a little longer than it keeps them idle.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that a slow leak can never grow without bound; the wide
# jitter keeps workers, which start together, from all restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 2
# Import the site once in the master: a recycled worker is forked ready in milliseconds
# (not a second of imports while its share of requests waits), and the code is shared
# copy-on-write. Safe: Django opens database and Redis connections lazily, in each worker.
preload_app = True
# Access log to stdout ("-") by default, with the time taken in microseconds (%(D)s).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
# Trust X-Forwarded-* only from the load balancer in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
