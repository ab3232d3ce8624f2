"""`data/benchmarks.yml`: loaded and validated, its statistics, and the pages' tables, charts and verdicts.

The render functions are pure (data in, HTML or Markdown text out, no MkDocs import),
so each can be tested on a small fixture. Every string from the data is escaped.
Names of frameworks come from the catalog (data/frameworks.yml), never from here.

One module per concern: `model` (the validated run and its lookups), `validate`
(schema and semantic checks), `stats` (medians, paired ratios), `labels` (words for
numbers and configurations), `tables`, `charts`, `claims` (quoted ranges beside
measured ratios), `verdicts` (each performance claim judged by its rule) and
`sections` (the Markdown the pages include).
"""

from macros.benchmarks.charts import bar_chart
from macros.benchmarks.claims import claims_comparison
from macros.benchmarks.labels import configuration_label, server_label
from macros.benchmarks.model import DATA_FILE, METRICS, SCHEMA_FILE, Benchmarks, Spread
from macros.benchmarks.sections import results_section, run_section
from macros.benchmarks.stats import paired_ratio, ratios, slowest, spread
from macros.benchmarks.tables import configurations_table, results_table, run_facts
from macros.benchmarks.validate import check_frameworks, load, load_schema, schema_problems, validate_text

__all__ = [
    "DATA_FILE",
    "METRICS",
    "SCHEMA_FILE",
    "Benchmarks",
    "Spread",
    "bar_chart",
    "check_frameworks",
    "claims_comparison",
    "configuration_label",
    "configurations_table",
    "load",
    "load_schema",
    "paired_ratio",
    "ratios",
    "results_section",
    "results_table",
    "run_facts",
    "run_section",
    "schema_problems",
    "server_label",
    "slowest",
    "spread",
    "validate_text",
]
