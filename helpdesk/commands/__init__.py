"""One module per `helpdesk` subcommand; each exposes ``register(subparsers)``.

The top layer: argument parsing and printing, over app (which builds Services) and the parts it
runs. May import anything in the package.
"""
