"""``python -m helpers.registry fetch|status``: see ``helpers.registry.cli``."""
from .cli import main

raise SystemExit(main())
