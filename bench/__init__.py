"""The project's benchmark: every example app under its production server, loaded with wrk on 127.0.0.1.

    python -m bench                    the full run: every configuration and workload, under
                                       20 minutes on 2 cores; writes data/benchmarks.yml and
                                       data/benchmarks/raw/<start>.json
    python -m bench --only upstream    one workload (or several, comma-separated) again: writes
                                       only the raw file, unless --output is given
    python -m bench --smoke            every configuration and workload briefly, into a temp
                                       directory; fails unless each answered with no error
    python -m bench --compare A.json B.json
                                       how far the ratios of two raw runs differ; fails
                                       unless every verdict is the same and each ratio a
                                       verdict uses is within --tolerance (10%)
    python -m bench --from-raw A.json  rewrite data/benchmarks.yml from a raw run

One module per concern: `plan` (settings, workloads, the order of the slices, the
expected duration), `servers` (the configurations of examples/run.py, started and
stopped), `upstream` (the service the I/O-bound workload calls), `load` (wrk),
`sampling` (/proc readings), `harness` (one run, from the first server to the last
slice), `summary` (the raw record to data/benchmarks.yml, the terminal table, the
ratios of two runs), `agreement` (whether two runs agree on the verdicts and the
ratios they use), and `__main__` (the command line).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "benchmarks.yml"
RAW_DIR = ROOT / "data" / "benchmarks" / "raw"
EXAMPLES_RUN = ROOT / "examples" / "run.py"
REQUIREMENTS = ROOT / "examples" / "requirements.in"  # the direct pins; requirements.txt is their lock
INSTALL_WRK = "sudo apt-get install -y wrk"
