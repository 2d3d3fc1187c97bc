"""Parameter schemas of the notebooks that judge no claim: the overview (00), the synthesis (06), the sweep (08).

Each claim notebook's schema lives in its claim package (``helpers/<claim>/params.py``); see
``helpers.schema`` for what a schema is and who reads it.
"""
from . import schema as s

_COMMON = {"quick": s.boolean(), "seed": s.seed()}

OVERVIEW = s.Schema(dict(_COMMON))
SYNTHESIS = s.Schema({**_COMMON, "results_dir": s.path("folder").or_none(),
                      "sweep_path": s.path("file or folder").or_none()})
SWEEP = s.Schema({**_COMMON, "sweep_path": s.path("file or folder").or_none()})
