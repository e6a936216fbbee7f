"""``python -m engine.lessons``: the lessons' command line (see engine/lessons/cli.py)."""
import sys

from .cli import main

sys.exit(main())
