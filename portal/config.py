"""Default settings. Each can be overridden in instance/config.py, then by a FLASK_<KEY> variable.

README.md has the table of every setting; keep the two in step (tests/test_config.py checks it).
"""

DEFAULTS = {
    # Database: SQLite in instance/ unless a URI is given (PostgreSQL in production).
    "SQLALCHEMY_DATABASE_URI": None,  # computed from instance_path when left empty
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    # Secrets: never a default. `make run` writes a random one to instance/secret_key.
    "SECRET_KEY": None,
    # Public address used in links sent by mail (manage links); empty = the request's host.
    "PORTAL_BASE_URL": "http://127.0.0.1:5000",
    # Languages
    "BABEL_DEFAULT_LOCALE": "fr",
    "BABEL_DEFAULT_TIMEZONE": "Africa/Casablanca",
    "PORTAL_LANGUAGES": ["fr", "ar"],
    # The locale whose month names and patterns format a language's dates and numbers ("ar_MA":
    # شتنبر, غشت as Moroccan texts write them); a language without an entry uses its own code.
    "PORTAL_FORMAT_LOCALES": {"ar": "ar_MA", "fr": "fr_MA"},
    # Mail. No MAIL_SERVER: messages are written as .eml files under instance/mail/.
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Portail de co-création <no-reply@localhost>",
    "MAIL_TIMEOUT": 10,
    # Outbox: deliver from a thread inside the web process (the embedded default), or leave it
    # to `flask outbox work` processes (production with several web workers).
    "OUTBOX_DELIVER_IN_APP": True,
    "OUTBOX_BATCH_SIZE": 50,
    "OUTBOX_POLL_SECONDS": 5,
    # How long a worker's claim on its messages and its SMTP slot lasts without renewal: a killed
    # worker's messages and connection slot go to others after this (renewed while it works).
    "OUTBOX_LEASE_SECONDS": 300,
    # Accepted messages are marked sent together, this many at most (or after a second): a killed
    # worker re-sends at most this group and the message being sent (README, delivery guarantee).
    "OUTBOX_RECORD_EVERY": 25,
    # SMTP connections one `flask outbox work` process opens side by side (threads), each within
    # the MAIL_MAX_CONNECTIONS shared by all processes.
    "OUTBOX_WORKER_CONNECTIONS": 3,
    # The mail provider's limits, for all worker processes together: SMTP connections open at
    # once, and messages per second (0 = no limit; each connection sends rate / connections).
    "MAIL_MAX_CONNECTIONS": 3,
    "OUTBOX_RATE_PER_SECOND": 0,
    # Personal data of an event's registrations is kept this many months after the event (manage
    # links expire then; `flask purge` anonymises what is older).
    "RETENTION_MONTHS": 12,
    # Other periods of `flask purge`: copies of sent mail, used or expired links, export logs.
    "MAIL_RETENTION_DAYS": 90,
    "TOKEN_RETENTION_DAYS": 30,
    "LOG_RETENTION_MONTHS": 12,
    # The privacy notice: its version (stored with each consent), who answers, the CNDP reference.
    "PRIVACY_NOTICE_VERSION": "2026-12",
    "PRIVACY_CONTACT": "donnees-personnelles@localhost",
    "CNDP_REFERENCE": "",
    "SECURITY_LOG": None,  # instance/security.log when empty
    # The national action plan the events prepare, named in each language as a noun phrase without
    # article (French: it follows « du »; Arabic: it follows a noun, في إطار ...): change it with each plan.
    "ACTION_PLAN_FR": "3e plan d'action national du gouvernement ouvert",
    "ACTION_PLAN_AR": "خطة العمل الوطنية الثالثة للحكومة المنفتحة",
    # The letterhead of the formal invitation letters sent to institutions (PDF), one line each.
    "LETTERHEAD_FR": "Royaume du Maroc\nMinistère de la Transition Numérique et de la Réforme de l'Administration\n"
                     "Département de la Réforme de l'Administration",
    "LETTERHEAD_AR": "المملكة المغربية\nوزارة الانتقال الرقمي وإصلاح الإدارة\nقطاع إصلاح الإدارة",
    # Who signs the invitation letters and mails to institutions: function, then name (optional), one
    # line each. The default is the organising department, without a person's name.
    "LETTER_SIGNATURE_FR": "Le Département de la Réforme de l'Administration",
    "LETTER_SIGNATURE_AR": "قطاع إصلاح الإدارة",
    # Waiting list: how long a freed seat stays offered to one person before passing to the next.
    "WAITLIST_OFFER_HOURS": 48,
    # Abuse protection
    "REGISTRATION_RATE_LIMIT": "10 per minute;60 per hour",
    "LOGIN_RATE_LIMIT": "10 per minute;50 per day",  # per client address, whatever the account
    # Sign-in (password or second-factor code) by one client on one account: after this many
    # failures, each new attempt waits 1, 2, 4... seconds after the last, up to the maximum.
    "SIGN_IN_FREE_FAILURES": 3,
    "SIGN_IN_MAX_DELAY_SECONDS": 900,
    # One account, from every client together: past this many failures in an hour, each attempt
    # waits this long after the account's last failure (it slows guessing, never locks the owner out).
    "SIGN_IN_ACCOUNT_FAILURES_PER_HOUR": 100,
    "SIGN_IN_ACCOUNT_DELAY_SECONDS": 30,
    "PASSWORD_RESET_MAILS_PER_HOUR": 3,  # per account; the page answers the same beyond it
    "RATELIMIT_STORAGE_URI": "memory://",
    # The public pages' cache (docs/architecture.md, "Public pages' cache"): where the version that a
    # write bumps is kept (empty: the database; redis://host:6379/0 with several app servers), how
    # long a process may serve pages without reading it again (at most 2 s), and how many pages
    # (address and language) each process keeps.
    "CACHE_VERSIONS_URI": "",
    "PUBLIC_CACHE_MAX_STALENESS": 1,
    "PUBLIC_CACHE_MAX_ENTRIES": 256,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "PROXY_FIX_X_FOR": 0,  # number of trusted reverse proxies in front of the app
    # Cookies
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # set True when served over HTTPS (production)
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # a working day; then sign in again
    "SESSION_IDLE_MINUTES": 30,  # a back-office session unused this long ends
    "WTF_CSRF_TIME_LIMIT": None,  # a form left open all afternoon must still submit
    "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,  # campaign attachments: 5 MB in all, and the form around them
    # htmx, from a CDN at a pinned version with its Subresource Integrity hash.
    "HTMX_URL": "https://cdn.jsdelivr.net/npm/htmx.org@2.0.8/dist/htmx.min.js",
    "HTMX_INTEGRITY": "sha384-/TgkGk7p307TH7EXJDuUlgG3Ce1UVolAOFopFekQkkXihi5u/6OCvVKyz1W+idaz",
}
