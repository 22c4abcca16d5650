"""One module per `helpdesk` subcommand; each exposes ``register(subparsers)``."""
