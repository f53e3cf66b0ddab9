"""Entry point for `flask --app wsgi` and for gunicorn (`gunicorn wsgi:app`)."""
import gc

from portal import create_app

app = create_app()

# The objects made at start-up (modules, the app, its templates and catalogues: ~150 000) live as
# long as the process. Left to the collector, each full collection walks them all (~0.1-0.2 s, in
# the middle of whichever request set it off); frozen, it walks only what requests made since.
gc.collect()
gc.freeze()
