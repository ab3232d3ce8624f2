"""mkdocs-macros entry point: load the data once per build and register thin macros."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from macros import benchmarks as bench
from macros import columns, example_runs, pairs, releases, render
from macros import field_reference as fields
from macros import framework_page as framework_page_module
from macros.benchmarks import verdict_tables
from macros.chooser import chooser_html, rules_html
from macros.data import load, load_schema, sample_error
from macros.problems import DataError


class DataFileError(PluginError):
    """A data error, shown by MkDocs as a plain message instead of a traceback."""


def define_env(env: Any) -> None:
    """Validate data/frameworks.yml and data/releases.yml and expose render functions as macros."""
    root = Path(env.project_dir)
    try:
        catalog = load(root)
        # The release facts `make refresh-facts` read from the package index.
        release_facts = releases.load(root, catalog)
        # The versions the example tests run on, from the locks they install.
        runs = example_runs.load(root)
        example_runs.check_frameworks(runs, catalog.frameworks)
    except DataError as error:
        raise DataFileError(str(error)) from None
    schema = load_schema(root)
    env.variables["catalog"] = catalog
    # The benchmark, from data/benchmarks.yml: absent until `make bench` has run once.
    try:
        published = bench.load(root)
        if published is not None:
            bench.check_frameworks(published, catalog)
    except DataError as error:
        raise DataFileError(str(error)) from None
    env.variables["benchmarks"] = published

    def page_root() -> str:
        """The relative path from the current page to the site root."""
        url = env.page.url if env.page is not None else ""
        return "../" * url.count("/")

    def framework_names() -> str:
        """`A, B and C`, from the data."""
        return render.names(catalog)

    def framework_count() -> int:
        """How many frameworks the data compares."""
        return len(catalog.frameworks)

    featured_ids = [fw["id"] for fw in catalog.featured]

    def featured_names() -> str:
        """`A, B and C`: the featured frameworks (all of them when none is marked), from the data."""
        return render.names(catalog, featured_ids)

    def featured_count() -> int:
        """How many frameworks the home page features."""
        return len(featured_ids)

    def comparison_table(detailed: bool = True, caption: str | None = None, featured: bool = False) -> str:
        """The comparison table, of the featured frameworks only with `featured=True`; a row whose aspect
        lists `measured` endpoints links each cell to the results."""
        root = page_root()
        measured = {
            a["id"]: verdict_tables.evidence(published, catalog, a["measured"], root)
            for a in catalog.aspects
            if "measured" in a
        }
        shown = featured_ids if featured else None
        return render.comparison_table(catalog, root, detailed, caption, measured, frameworks=shown)

    def verdicts(featured: bool = False) -> str:
        """A short verdict per framework, of the featured ones only with `featured=True`."""
        return render.verdicts(catalog, page_root(), featured_ids if featured else None)

    def column_chooser() -> str:
        """The checkboxes that choose the comparison table's columns (docs/assets/columns.js)."""
        return columns.column_chooser(catalog, page_root())

    def columns_note(featured: bool = False, place: str = "this page") -> str:
        """Where a page that follows the column choice says which of its frameworks (the featured
        ones with `featured=True`) `place` leaves out."""
        return columns.columns_note(catalog, page_root(), featured_ids if featured else None, place)

    def decision_lists() -> str:
        """The 'choose it when' list of every framework."""
        return render.decision_lists(catalog, page_root())

    def framework_page(framework_id: str) -> str:
        """The body of a generated framework page, ending with links to its pair pages."""
        page = framework_page_module.framework_page(catalog, release_facts, framework_id, page_root(), runs)
        return page + "\n" + pairs.compare_section(catalog, framework_id, page_root())

    def pair_page(first_id: str, second_id: str) -> str:
        """The body of a generated "A vs B" page."""
        return pairs.pair_page(catalog, published, first_id, second_id, page_root())

    def pair_index() -> str:
        """Every framework's pair pages."""
        return pairs.pair_index(catalog, page_root())

    def pair_count() -> int:
        """How many pair pages the site has: N × (N − 1) / 2."""
        return len(pairs.pairs(catalog))

    def claims_table() -> str:
        """The quoted throughput claims."""
        return render.claims_table(catalog)

    def same_api() -> str:
        """The example API side by side, per task."""
        return render.same_api(catalog)

    def chooser() -> str:
        """The interactive chooser, with the decision lists as its no-script fallback."""
        return chooser_html(catalog, page_root())

    def chooser_rules() -> str:
        """The chooser's scoring rules."""
        return rules_html()

    def data_error_example() -> str:
        """A real validation message, produced from the current data at build time."""
        return sample_error(root, catalog)

    field_schemas = {"frameworks": schema, "releases": releases.load_schema(root)}

    def field_reference(data_file: str = "frameworks") -> str:
        """The fields of data/frameworks.yml, or of data/releases.yml, from the file's schema."""
        if data_file not in field_schemas:
            raise KeyError(f"Unknown data file {data_file!r}; known: {', '.join(field_schemas)}")
        return fields.field_reference(field_schemas[data_file], f"Fields of data/{data_file}.yml")

    for macro in (
        framework_names,
        framework_count,
        featured_names,
        featured_count,
        comparison_table,
        verdicts,
        column_chooser,
        columns_note,
        decision_lists,
        framework_page,
        pair_page,
        pair_index,
        pair_count,
        claims_table,
        same_api,
        chooser,
        chooser_rules,
        field_reference,
        data_error_example,
    ):
        env.macro(macro)

    def benchmark_results() -> str:
        """The measured results with charts and ratios, or a notice that none is published."""
        return bench.results_section(published, catalog)

    def benchmark_run() -> str:
        """The published run's machine, versions and settings, or a line saying none is published."""
        return bench.run_section(published, catalog)

    def performance_claims() -> str:
        """Each performance claim of the data, the measurement and rule that test it, and its verdicts."""
        return verdict_tables.claims_section(published, catalog)

    env.macro(benchmark_results)
    env.macro(benchmark_run)
    env.macro(performance_claims)
