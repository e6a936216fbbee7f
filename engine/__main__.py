"""``python -m engine``: the headless command line (see engine/cli/)."""
import sys

from .cli import main

sys.exit(main())
