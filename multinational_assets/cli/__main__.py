"""`python -m multinational_assets.cli`: the `multinational` command."""

from multinational_assets.cli import main

main()
