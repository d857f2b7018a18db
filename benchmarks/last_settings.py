"""Settings of the load test (bench_last.py): production settings plus a floor view (``last_urls``).

Only the URLconf differs from ``ratsinfo.settings``, so the figures are those of the real site; the production
variables (secret key, hosts, database, Redis) come from the environment that bench_last.py sets.
"""

from ratsinfo.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.last_urls"
