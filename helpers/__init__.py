"""Helpers of the test-time-scaling / token-budget study.

One module per idea (see README, "Code layout"):

- ``paths``      repository root and output folders (independent of the working directory)
- ``validate``   parameter checks that raise errors naming the parameter and its range
- ``results``    the results file every notebook writes (contract section 3), atomically
- ``plotting``   the study's one seaborn theme and figure saving
- ``registry``   pinned, hash-verified external files (pooch), ``DATA_MIRROR`` support
- ``datasets``   tidy loaders for published tables and logged data
- ``curves``     accuracy-versus-budget curve fits with intervals and gain per doubling
- ``report``     the HTML index of rendered notebooks and their verdicts
"""
