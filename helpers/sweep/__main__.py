"""``python -m helpers.sweep run|list``: see ``helpers.sweep.driver``."""
from .driver import main

raise SystemExit(main())
