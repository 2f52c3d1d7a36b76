"""`python -m multinational_assets.sandbox.stores_api`: the stores API as a detached process (see `process`)."""

import sys

from multinational_assets.sandbox.stores_api.process import main

if __name__ == "__main__":
    sys.exit(main())
