"""`python -m ngshare_ts [service flags]`: exec Node.js on the bundled service."""

import sys

from ngshare_ts._launcher import main

if __name__ == "__main__":
    sys.exit(main())
