"""gunicorn settings for the portal: `gunicorn reseller.wsgi --config deploy/gunicorn.conf.py`.

Every value can be changed from the environment, so one file serves `make run`, the
systemd unit and the two-server proof. https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os

import gunicorn
import gunicorn.http.wsgi

# gunicorn has no setting for its Server header: it sends the module constant SERVER
# ("gunicorn"), read by each response from gunicorn.http.wsgi, which has imported it
# already. Name no product, so a scan learns nothing from a direct hit (behind nginx,
# nginx's own header replaces it).
gunicorn.SERVER = gunicorn.http.wsgi.SERVER = "web"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes from cores (the usual 2 × cores + 1), each with a few threads: pages wait
# on PostgreSQL and Redis more than they compute. Database connections per server are
# workers × threads at most (docs/deploying.md, "Connections").
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request that takes longer is killed and logged; the mail server is no longer in
# the request, so 30 s is generous.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, staggered, so a slow leak never grows.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Only the local nginx may say which client and scheme a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# GUNICORN_ACCESS_LOG= (empty) turns it off, as the benchmark does.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# gunicorn's default format without the query string (%(r)s, %(q)s): links in e-mails
# carry keys there. The path, status, size, referrer, agent and time in seconds remain.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s'
errorlog = "-"
# Load the app once and fork: workers share its memory and start in a blink.
preload_app = True
