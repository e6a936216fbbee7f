"""``python -m engine.sweep``: the sweep command line (see engine/sweep/cli.py)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
