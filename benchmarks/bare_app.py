"""The reference of the HTTP benchmarks: a bare Flask app, served by the same gunicorn set-up as the
portal (`benchmarks/http_load.py`). What the portal adds over it (sessions, CSRF, the database,
templates, security headers) is what the ratios of `make bench` measure.

    gunicorn -w 2 -k gthread --threads 4 benchmarks.bare_app:app
"""
from flask import Flask, redirect, request

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Référence</title></head>
<body><main><h1>Référence</h1><p>Une page HTML courte, servie par une route Flask nue.</p></main></body>
</html>
"""


@app.get("/")
def page():
    return PAGE


@app.post("/register")
def register():
    """Reads the form, as the portal's registration does, then sends the browser on (303)."""
    if not request.form.get("email"):
        return "email missing", 422
    return redirect("/", 303)
