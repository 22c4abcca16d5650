"""Storage: SQLAlchemy 2.0 models, repositories (the only place that builds SQL), migrations, the
engine, the file store under the invoice directory (:mod:`.files`) and cluster-wide leadership
(:mod:`.leadership`, PostgreSQL advisory locks).

May import: settings, i18n, core. Never anything above (services, handlers, casework, channels…).
"""
