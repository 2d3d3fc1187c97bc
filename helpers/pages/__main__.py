"""``python -m helpers.pages EXECUTED.ipynb OUT.html``: see ``helpers.pages.render``."""
from .render import main

raise SystemExit(main())
