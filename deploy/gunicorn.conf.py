"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`."""
import multiprocessing
import os

bind = os.environ.get("FIELDSVC_BIND", "127.0.0.1:8000")
# Sync workers: the app is short requests against PostgreSQL; 2 × cores + 1 is the usual start.
workers = int(os.environ.get("FIELDSVC_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then: caps slow memory growth
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"  # nginx on the same host sets X-Forwarded-Proto
accesslog = "-"
errorlog = "-"
