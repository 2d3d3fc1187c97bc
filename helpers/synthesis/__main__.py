"""``python -m helpers.synthesis readme``: see ``helpers.synthesis.readme``."""
from .readme import main

raise SystemExit(main())
