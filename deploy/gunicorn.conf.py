"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

One server: nginx and gunicorn on the same host, the defaults below. An app host behind an nginx on another
machine (docs/DEPLOY.md "Growing past one machine"): FIELDSVC_BIND=<this host's private address>:8000 and
FIELDSVC_FORWARDED_ALLOW_IPS=<nginx's address>; firewall port 8000 so that only nginx can reach it.
"""
import multiprocessing
import os

bind = os.environ.get("FIELDSVC_BIND", "127.0.0.1:8000")
# Sync workers: the app is short requests against PostgreSQL; 2 × cores + 1 is the usual start.
workers = int(os.environ.get("FIELDSVC_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then: caps slow memory growth
max_requests_jitter = 200
# The nginx whose X-Forwarded-Proto gunicorn trusts. (The app reads X-Forwarded-For/-Proto through
# FIELDSVC_PROXIES itself, so the client address the login throttle counts is the one nginx saw.)
forwarded_allow_ips = os.environ.get("FIELDSVC_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn ≥ 25.1 opens a control socket for `gunicornc` at one path per OS user, which every gunicorn of
# that user shares (two instances on one machine take it from each other). fieldsvc is run by systemd and
# does not use it. (Older gunicorn ignores the setting.)
control_socket_disable = True
accesslog = "-"
errorlog = "-"
