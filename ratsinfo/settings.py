"""The one settings module of Ratsinfo, read from environment variables.

Without any variable set, the site runs in the embedded development mode: SQLite and files under ``var/``,
tasks run immediately. ``DJANGO_ENV=production`` switches to production, where every setting that has no
safe default must be given; a missing one stops the process at start instead of surfacing as a wrong page
later. docs/betrieb.md lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ratsinfo import speicher

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    # An empty variable (DATABASE_URL= in a shell or an env file) means "not set", not an empty setting.
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Die Umgebungsvariable {name} muss in Produktion gesetzt sein.")
    return value


PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

DATA_DIR = Path(env("RATSINFO_DATA_DIR", BASE_DIR / "var"))

if PRODUCTION:
    SECRET_KEY = required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [required("DJANGO_ALLOWED_HOSTS")]
    DATABASE_URL = required("DATABASE_URL")
else:
    # A fixed key is fine for the embedded mode, which never faces the internet.
    SECRET_KEY = env("DJANGO_SECRET_KEY", "ratsinfo-entwicklung-nicht-fuer-produktion")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
    DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ratsinfo.sqlite3'}")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Search vectors and full-text expressions; harmless on SQLite, where the search falls back to plain matching.
    "django.contrib.postgres",
    "django_filters",
    # The project package: its helpers import no app; settings and root URLs sit on top of everything.
    "ratsinfo",
    # Operations beneath the domain apps (imports none of them): backup/restore, the outage answer, the page and
    # count caches, the Änderungsprotokoll. The lists of vorlagen and sitzungen page with its paginator.
    "betrieb",
    # The outbox: every mail is stored, then sent by the worker with retries; knows no domain model.
    "post",
    # The bodies and their people (Ausschuss, Person, Mitgliedschaft, Ort, Dienststelle) and the visibility rule:
    # the bottom domain app, which vorlagen and sitzungen build on.
    "gremien",
    # vorlagen before sitzungen: sitzungen extends the Vorlage admin with the Beratungsfolge.
    "vorlagen",
    "sitzungen",
    # The record of a Sitzung (attendance, Befangenheit, votes, Niederschrift, its own documents): above sitzungen,
    # below the features that show and print it.
    "protokoll",
    # The Einberufung of a Sitzung (Einladung, Nachträge, Ladungsfrist) and its proof; sends through post.
    "einberufung",
    # The way of a draft through the administration (Mitzeichnung, Freigabe, "Meine Aufgaben"); sends through post.
    "mitzeichnung",
    # Calendar, iCal, feeds, sitemap and the information pages: built on both apps, for the public.
    "oeffentlich",
    # PDFs of Vorlagen and Sitzungen; imports from vorlagen and sitzungen, never the reverse.
    "druck",
    "suche",
    "oparl",
    # manage.py oparl_import: reads another system's OParl API into vorlagen and sitzungen; neither imports it.
    "oparlimport",
    # Citizens follow a Gremium, Vorlage, Person or search by e-mail (double opt-in, digests); sends through post.
    "abonnements",
    # Accounts: login with throttle, password reset, "Meine Sitzungen" (URLs under /konto/, namespace konto).
    "konten",
    # manage.py demodaten_laden and its data; imports every app it fills, nothing imports it.
    "demodaten",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ratsinfo.middleware.SpracheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Whole pages for anonymous visitors without a session (betrieb.seitencache); inside CSRF and CSP, which
    # add the visitor's own token and headers to a stored page.
    "betrieb.seitencache.SeitenCacheMiddleware",
    # A database outage in a view becomes a friendly 503 (betrieb.ausfall; handler500 covers the rest).
    "betrieb.ausfall.DatenbankAusfallMiddleware",
]

ROOT_URLCONF = "ratsinfo.urls"
WSGI_APPLICATION = "ratsinfo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ratsinfo.context_processors.site",
            ],
        },
    },
]

# Persistent connections (60 s) with a health check before each request reuses one: after a database restart the
# first request opens a fresh connection instead of failing on the dead one (betrieb.ausfall).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", default=True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # The embedded database is used by one process with a few threads; WAL keeps readers from blocking.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))

# Public media (nothing confidential). Anlagen live in their own storage without a public URL: they are only
# ever served through the download view, which applies the visibility rule.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", DATA_DIR / "media"))
ANLAGEN_ROOT = Path(env("RATSINFO_ANLAGEN_ROOT", DATA_DIR / "anlagen"))
DRUCK_ROOT = Path(env("RATSINFO_DRUCK_ROOT", DATA_DIR / "druck"))
# Uploads kept while the clerk corrects an error elsewhere in the admin form (vorlagen.zwischenspeicher): a private
# folder, never below MEDIA_ROOT. With several web machines, point it (or the STORAGES entry) at shared storage.
ZWISCHENSPEICHER_ROOT = Path(env("RATSINFO_ZWISCHENSPEICHER_ROOT", DATA_DIR / "zwischenspeicher"))

# Where Anlagen, rendered PDFs and kept uploads live: "lokal" (the folders above, the embedded default) or "s3", a
# private bucket of any S3-compatible store through django-storages (ratsinfo.speicher, docs/betrieb.md). Several
# web machines and a worker on another host need "s3": they share nothing else but the database and Redis.
RATSINFO_SPEICHER = env("RATSINFO_SPEICHER", speicher.LOKAL)
if RATSINFO_SPEICHER not in speicher.ARTEN:
    raise ImproperlyConfigured(f"RATSINFO_SPEICHER={RATSINFO_SPEICHER!r}: erlaubt sind {', '.join(speicher.ARTEN)}.")
RATSINFO_S3 = {}
# Above 0, a visible Anlage or PDF in the bucket is sent as a redirect to a presigned address valid this many
# seconds (made only after the rule said yes, never cached publicly); 0 streams it through the web process.
RATSINFO_S3_SIGNIERTE_ADRESSE_SEKUNDEN = int(env("RATSINFO_S3_SIGNIERTE_ADRESSE_SEKUNDEN", "0"))
if RATSINFO_SPEICHER == speicher.S3:
    from botocore.config import Config

    _s3_zeitlimit = float(env("RATSINFO_S3_ZEITLIMIT_SEKUNDEN", "10"))
    # Needed with the bucket in any mode, not only in production (required() speaks of production).
    if not env("RATSINFO_S3_BUCKET"):
        raise ImproperlyConfigured("Mit RATSINFO_SPEICHER=s3 muss RATSINFO_S3_BUCKET gesetzt sein.")
    RATSINFO_S3 = {
        "bucket_name": env("RATSINFO_S3_BUCKET"),
        "endpoint_url": env("RATSINFO_S3_ENDPOINT_URL"),
        "region_name": env("RATSINFO_S3_REGION"),
        # Without keys, boto3 finds its own (AWS_* variables, an instance role, ~/.aws).
        "access_key": env("RATSINFO_S3_ACCESS_KEY_ID"),
        "secret_key": env("RATSINFO_S3_SECRET_ACCESS_KEY"),
        "location": env("RATSINFO_S3_PRAEFIX", ""),
        "addressing_style": env("RATSINFO_S3_ADRESSIERUNG"),
        # A store that does not answer fails within seconds (upload message, 503, task retry), not a minute.
        "client_config": Config(
            connect_timeout=_s3_zeitlimit,
            read_timeout=_s3_zeitlimit,
            retries={"max_attempts": int(env("RATSINFO_S3_VERSUCHE", "3")), "mode": "standard"},
            signature_version="s3v4",
        ),
    }

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "anlagen": speicher.dateiablage(
        "anlagen",
        art=RATSINFO_SPEICHER,
        lokal_backend="vorlagen.storage.AnlagenSpeicher",
        ordner=ANLAGEN_ROOT,
        s3_backend="vorlagen.storage.AnlagenObjektSpeicher",
        s3_optionen=RATSINFO_S3,
    ),
    # Rendered PDFs, non-public variants among them: like the Anlagen, without a public URL (druck.storage).
    "druck": speicher.dateiablage(
        "druck",
        art=RATSINFO_SPEICHER,
        lokal_backend="druck.storage.DruckSpeicher",
        ordner=DRUCK_ROOT,
        s3_backend="druck.storage.DruckObjektSpeicher",
        s3_optionen=RATSINFO_S3,
    ),
    "zwischenspeicher": speicher.dateiablage(
        "zwischenspeicher",
        art=RATSINFO_SPEICHER,
        lokal_backend="vorlagen.zwischenspeicher.ZwischenSpeicher",
        ordner=ZWISCHENSPEICHER_ROOT,
        s3_backend="vorlagen.zwischenspeicher.ZwischenObjektSpeicher",
        s3_optionen=RATSINFO_S3,
    ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Behind nginx, Anlagen can be sent by the web server after the download view has applied the visibility rule:
# set this to an `internal` location that maps to RATSINFO_ANLAGEN_ROOT (see docs/betrieb.md).
RATSINFO_ANLAGEN_X_ACCEL_PREFIX = env("RATSINFO_ANLAGEN_X_ACCEL_PREFIX", "")

# The largest Anlage a clerk may upload, in MB (vorlagen.dateipruefung refuses bigger files with a message).
RATSINFO_ANLAGE_MAX_MB = float(env("RATSINFO_ANLAGE_MAX_MB", "50"))

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Accounts (konten): councillors log in under /konto/; clerks may use /admin/login/ as well.
LOGIN_URL = "konto:anmelden"
LOGIN_REDIRECT_URL = "konto:meine-sitzungen"
LOGOUT_REDIRECT_URL = "startseite"

# Failed logins per (username, client address) pair and per client address (four times as many); after this
# many within the lock time, further attempts are refused without checking the password until the lock time has
# passed since the last failure. No lock on a username alone (docs/betrieb.md, "Anmeldesperre").
RATSINFO_ANMELDUNG_MAX_FEHLVERSUCHE = int(env("RATSINFO_ANMELDUNG_MAX_FEHLVERSUCHE", "5"))
RATSINFO_ANMELDUNG_SPERRE_SEKUNDEN = int(env("RATSINFO_ANMELDUNG_SPERRE_SEKUNDEN", "900"))
# Password reset links: at most this many per e-mail address and per client address within the window.
RATSINFO_PASSWORT_MAILS_JE_ADRESSE = int(env("RATSINFO_PASSWORT_MAILS_JE_ADRESSE", "3"))
RATSINFO_PASSWORT_ANFRAGEN_JE_CLIENT = int(env("RATSINFO_PASSWORT_ANFRAGEN_JE_CLIENT", "10"))
RATSINFO_PASSWORT_FENSTER_SEKUNDEN = int(env("RATSINFO_PASSWORT_FENSTER_SEKUNDEN", "3600"))
# Behind a reverse proxy: the header that carries the client's address (e.g. X-Forwarded-For or X-Real-IP).
# Only set it when the proxy always sets or appends it; otherwise clients could choose their own address.
RATSINFO_PROXY_IP_HEADER = env("RATSINFO_PROXY_IP_HEADER", "")

# The login throttle counts in the cache, so several web processes need a shared one (Redis).
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "ratsinfo",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratsinfo"}}

# Mail: password resets, Einladungen, notifications and digests (all but the first through the outbox of the app
# post, sent by the worker). Development prints them on the console, or writes them into files with
# DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend; production sends by SMTP. Django 6.1
# configures mail through MAILERS (the EMAIL_* settings are deprecated); the environment variables keep the usual
# names. Django's SMTP backend, when named, becomes ours: the same, keeping the server's answer for the outbox.
smtp_backend = "post.smtp.EmailBackend"
mail_backend = env(
    "DJANGO_EMAIL_BACKEND", smtp_backend if PRODUCTION else "django.core.mail.backends.console.EmailBackend"
)
if mail_backend == "django.core.mail.backends.smtp.EmailBackend":
    mail_backend = smtp_backend
mail_optionen = {}
if mail_backend == smtp_backend:
    mail_optionen = {
        "host": env("DJANGO_EMAIL_HOST", "localhost"),
        # Without a port, Django takes 587 with TLS and 25 without.
        "port": int(env("DJANGO_EMAIL_PORT")) if env("DJANGO_EMAIL_PORT") else None,
        "username": env("DJANGO_EMAIL_HOST_USER", ""),
        "password": env("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=False),
        "use_ssl": env_bool("DJANGO_EMAIL_USE_SSL", default=False),
        "timeout": int(env("DJANGO_EMAIL_TIMEOUT", "30")),
    }
elif mail_backend == "django.core.mail.backends.filebased.EmailBackend":
    mail_optionen = {"file_path": env("DJANGO_EMAIL_FILE_PATH", str(DATA_DIR / "mails"))}
MAILERS = {"default": {"BACKEND": mail_backend, "OPTIONS": mail_optionen}}
# No safe default for the sender: mails from "webmaster@localhost" get rejected, so production requires it.
DEFAULT_FROM_EMAIL = (
    required("DJANGO_DEFAULT_FROM_EMAIL") if PRODUCTION else env("DJANGO_DEFAULT_FROM_EMAIL", "ratsinfo@localhost")
)

# Background work (PDF rendering, text extraction) goes through Django's tasks framework. The embedded mode runs
# each task immediately in the request; production names a backend with a real worker (see docs/betrieb.md).
TASKS = {
    "default": {
        "BACKEND": env("RATSINFO_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
    }
}
# The database backend of the django-tasks-db package ("django_tasks_db.DatabaseBackend") keeps its queue in
# tables of its own app, run by `manage.py db_worker`; the app is only installed when that backend is chosen.
if TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
    INSTALLED_APPS.append("django_tasks_db")

# The Ladungsfrist (§ 34 GemO BW: "mit angemessener Frist") in days, for every Gremium that does not set its own.
RATSINFO_LADUNGSFRIST_TAGE = int(env("RATSINFO_LADUNGSFRIST_TAGE", "7"))

# Shown in the header and used by the demo data; a city sets its own name.
RATSINFO_KOERPERSCHAFT = env("RATSINFO_KOERPERSCHAFT", "Landeshauptstadt Stuttgart")
RATSINFO_ORT = env("RATSINFO_ORT", "Stuttgart")

PAGINATE_BY = 20
# Seconds the number of rows of the Vorlagen and Sitzungen lists is kept for anonymous visitors: counting 100,000
# Vorlagen is the dearest query of a first page. 0 counts on every request (betrieb.paginierung).
RATSINFO_ANZAHL_CACHE_SEKUNDEN = int(env("RATSINFO_ANZAHL_CACHE_SEKUNDEN", "60"))
# Seconds a whole page is kept for anonymous visitors (betrieb.seitencache); every write through the ORM makes the
# stored pages stale at once, so this bounds only what the ORM does not see (time passing, QuerySet.update).
# 0 switches it off, the default outside production and without Redis: a cache of its own in each web process
# would not learn of a write made in another process, and would show it up to this many seconds late.
RATSINFO_SEITEN_CACHE_SEKUNDEN = int(
    env("RATSINFO_SEITEN_CACHE_SEKUNDEN", "30" if PRODUCTION and env("REDIS_URL") else "0")
)
# Megabytes of pages each web process keeps of its own, so that a page in demand is not fetched from Redis again and
# again (only the data version is; betrieb.seitencache). 0 keeps none.
RATSINFO_SEITEN_CACHE_LOKAL_MB = int(env("RATSINFO_SEITEN_CACHE_LOKAL_MB", "32"))

# Seconds in the Retry-After header of the 503 page a database outage gives (betrieb.ausfall).
RATSINFO_AUSFALL_RETRY_AFTER = int(env("RATSINFO_AUSFALL_RETRY_AFTER", "10"))

# OParl ids are permanent absolute URLs: built from this base, never from the request's Host header.
# In production the default is https on the first allowed host. The embedded mode follows PORT, the port
# `make run` serves on, so the ids of `PORT=9100 make run` lead back to that server and not to another one on 8000.
RATSINFO_OPARL_BASIS_URL = env(
    "RATSINFO_OPARL_BASIS_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else f"http://127.0.0.1:{env('PORT', '8000')}",
).rstrip("/")
# Links in mails (Einladungen, notifications, digests) are built by the worker, without a request: from this base.
RATSINFO_BASIS_URL = env("RATSINFO_BASIS_URL", RATSINFO_OPARL_BASIS_URL).rstrip("/")
# Since when the API exists: created/modified of System and Body, which have no row of their own.
RATSINFO_OPARL_SEIT = env("RATSINFO_OPARL_SEIT", "2026-11-26T00:00:00+01:00")

# The OParl importer (manage.py oparl_import): the Dienststelle of imported Vorlagen without an originator, the
# timeout per request in seconds, and the retries of a 5xx answer (waiting base * 2**n seconds).
RATSINFO_OPARL_IMPORT_DIENSTSTELLE = env("RATSINFO_OPARL_IMPORT_DIENSTSTELLE", "Importiert")
RATSINFO_OPARL_IMPORT_TIMEOUT = float(env("RATSINFO_OPARL_IMPORT_TIMEOUT", "30"))
RATSINFO_OPARL_IMPORT_VERSUCHE = int(env("RATSINFO_OPARL_IMPORT_VERSUCHE", "4"))
RATSINFO_OPARL_IMPORT_WARTEZEIT = float(env("RATSINFO_OPARL_IMPORT_WARTEZEIT", "1"))
# The importer fetches only from the System URL's scheme, host and port; further hosts (e.g. a separate file
# server of the source) only when named here or with --host. JSON answers (list pages, objects) are capped at
# RATSINFO_OPARL_IMPORT_MAX_MB, files at RATSINFO_ANLAGE_MAX_MB.
RATSINFO_OPARL_IMPORT_HOSTS = env_list("RATSINFO_OPARL_IMPORT_HOSTS")
RATSINFO_OPARL_IMPORT_MAX_MB = float(env("RATSINFO_OPARL_IMPORT_MAX_MB", "8"))

# Each query of a search may take this long (PostgreSQL's statement_timeout); beyond it the page asks for a
# narrower search instead of holding a web process and a database backend.
RATSINFO_SUCHE_ZEITLIMIT_MS = int(env("RATSINFO_SUCHE_ZEITLIMIT_MS", "3000"))

# The domain in the UIDs of iCal events and the tag URIs of Atom entries. It must never change once calendars
# have subscribed (a new UID is a new event), so it is a setting of its own, not taken from each request.
RATSINFO_UID_DOMAIN = env("RATSINFO_UID_DOMAIN", ALLOWED_HOSTS[0] if PRODUCTION else "ratsinfo.localhost")
# The "Erklärung zur Barrierefreiheit" names a contact for feedback on barriers (BITV 2.0 § 7) and its date.
RATSINFO_BARRIEREFREIHEIT_KONTAKT = env("RATSINFO_BARRIEREFREIHEIT_KONTAKT", DEFAULT_FROM_EMAIL)
RATSINFO_BARRIEREFREIHEIT_STAND = env("RATSINFO_BARRIEREFREIHEIT_STAND", "2026-11-26")

# Content-Security-Policy in every mode, so development and the browser tests see what production enforces:
# only the site's own scripts, styles, images and forms; an inline script needs the request's nonce
# ({{ csp_nonce }}); no framing, no plugins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading puts the domain into the browsers' built-in list, which takes months to leave again: a
        # decision for the city's whole domain, not a default. Without it, check --deploy need not remind us.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_HTTPONLY = True
    # Councillors read non-public papers, often on shared or mobile devices: a session lasts a working day.
    SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_COOKIE_AGE", str(12 * 60 * 60)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; a Sitzungsmappe would fill the log.
    # httpx (OParl importer) logs every request at INFO; the importer prints its own progress.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

# Citizens' subscriptions (abonnements, docs/betrieb.md "Abonnements"): the confirmation link is valid this many
# days; an unconfirmed subscription is deleted with its address after that. Sign-ups and manage-link requests are
# limited per e-mail address and per client address within the window (counted from the first request).
RATSINFO_ABO_BESTAETIGUNG_TAGE = int(env("RATSINFO_ABO_BESTAETIGUNG_TAGE", "3"))
RATSINFO_ABO_ANFRAGEN_JE_ADRESSE = int(env("RATSINFO_ABO_ANFRAGEN_JE_ADRESSE", "5"))
RATSINFO_ABO_ANFRAGEN_JE_CLIENT = int(env("RATSINFO_ABO_ANFRAGEN_JE_CLIENT", "20"))
RATSINFO_ABO_FENSTER_SEKUNDEN = int(env("RATSINFO_ABO_FENSTER_SEKUNDEN", "3600"))
# Whom citizens write to about their data (the privacy notice /datenschutz/ names it).
RATSINFO_DATENSCHUTZ_KONTAKT = env("RATSINFO_DATENSCHUTZ_KONTAKT", DEFAULT_FROM_EMAIL)
