"""What-if simulation: re-evaluate a table of events under changed parameters and compare the budgets.

    result = simulate(cases, {"TRN-PROJECT.cap": "2500"}, date(2024, 1, 1), date(2024, 12, 31))

`cases` has a `rule`, a `date` and a `town` column and the fact columns of its rules (one table may
mix rules; a rule reads only its own facts). Each rule's rows go through `batch.evaluate_table` twice:
with the parameters in force (baseline) and with the overrides (scenario). A case commits to the budget
its amount, else its upper bound (`max`), else nothing; only eligible, in-force rows without errors count.

Events come from an event source: `cases` reads a CSV or Parquet file; `demo` makes cases from the demo
city; programme apps register theirs with `register_event_source(name, fn)` once they store events.
"""

from skillcity.policy.simulate.run import (
    BAD_DATE_YEAR,
    FALSE_WORDS,
    LIST_SEPARATOR,
    TRUE_WORDS,
    UNKNOWN_TOWN,
    Line,
    SimulationError,
    SimulationResult,
    parse_overrides,
    scenario_parameters,
    simulate,
)
from skillcity.policy.simulate.sources import (
    EVENT_SOURCES,
    EventSource,
    Source,
    demo_cases,
    events_from,
    read_cases,
    read_cases_bytes,
    register_event_source,
)

__all__ = [
    "BAD_DATE_YEAR",
    "EVENT_SOURCES",
    "FALSE_WORDS",
    "LIST_SEPARATOR",
    "TRUE_WORDS",
    "UNKNOWN_TOWN",
    "EventSource",
    "Line",
    "SimulationError",
    "SimulationResult",
    "Source",
    "demo_cases",
    "events_from",
    "parse_overrides",
    "read_cases",
    "read_cases_bytes",
    "register_event_source",
    "scenario_parameters",
    "simulate",
]
