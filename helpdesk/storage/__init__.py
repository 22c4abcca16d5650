"""Storage: SQLAlchemy 2.0 models, repositories (the only place that builds SQL), migrations."""
