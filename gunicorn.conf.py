"""gunicorn settings for phnews: `gunicorn -c gunicorn.conf.py phnews.wsgi`.

Every value can be overridden from the environment (GUNICORN_* below) or
the command line. Graceful reload: `kill -HUP <master pid>` starts new
workers with new code and lets the old ones finish their requests.
"""

import multiprocessing
import os

# Served means production behaviour: no debug pages, ever. Settings then
# refuse to start without DJANGO_SECRET_KEY (bin/run provides one).
os.environ["DJANGO_DEBUG"] = "false"

wsgi_app = "phnews.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Requests are short and mostly CPU (templates, Chinese search), so sync
# workers; the usual 2 x cores + 1 keeps the cores busy while one waits on I/O.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5

# Recycle workers now and then so slow leaks cannot grow without bound; the
# jitter spreads the restarts. Rarely: a fresh worker costs ~1 s of CPU
# (Django, segmenter dictionary), and at 5000 requests the load test saw all
# workers restart within seconds of each other, pushing search p95 to 5 s.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "5000"))

# Request size limits in front of Django's own (DATA_UPLOAD_MAX_MEMORY_SIZE).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Logs to stdout/stderr for systemd/journald or a container runtime.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Loading the app in each worker (not the master) keeps a reload clean: HUP
# brings in new code, and no database connection is shared across fork.
preload_app = False

# Behind a proxy on the same host; set FORWARDED_ALLOW_IPS for a remote one.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket defaults to one path per user, which two archives
# on one host would fight over; keep it with the instance's runtime state.
_var_dir = os.environ.get("PHNEWS_VAR_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "var"))
os.makedirs(_var_dir, exist_ok=True)
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", os.path.join(_var_dir, "gunicorn.ctl"))


# Pay each worker's one-off costs (the word segmenter's dictionary, the index
# reader, templates) before it takes traffic, not in a reader's first search:
# measured at ~1 s per fresh worker, also after every max_requests recycle.
WARM_PATHS = ("/", "/search/?q=%E5%B9%B3%E6%B9%96")


def post_worker_init(worker):
    from django.conf import settings
    from django.test import Client

    hosts = [host for host in settings.ALLOWED_HOSTS if not host.startswith((".", "*"))]
    client = Client(SERVER_NAME=hosts[0] if hosts else "localhost")
    for path in WARM_PATHS:
        try:
            client.get(path, secure=settings.SECURE_SSL_REDIRECT)
        except Exception:  # a failed warm-up must not stop the worker; requests will show the error
            worker.log.exception("warm-up request %s failed", path)
