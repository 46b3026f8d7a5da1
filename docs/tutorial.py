# ruff: noqa: E402  (a notebook-style script: each section imports what it uses)
"""The tutorial (docs/tutorial.md) as a script: every code block of the
tutorial is one ``# %%`` section below, and tests/test_tutorial.py runs it.

Run it from the repository root (it reads tests/data/) after
``pip install '.[all]'``::

    python docs/tutorial.py

It writes reports.duckdb and outcomes.png in the current folder
(docs/images/outcomes.png is a copy of that figure).
"""

# %% extract
import govreport

summary = govreport.extract(["tests/data/real/*.txt", "tests/data/seeds"], "reports.duckdb")
print(f"{summary.files} files → reports.duckdb: {summary.reports} reports, {summary.errors} not parsed")

# %% reports
import duckdb

con = duckdb.connect("reports.duckdb", read_only=True)
print(
    con.sql("""
        SELECT template, count(*) AS reports, min(year) AS first, max(year) AS last,
               sum(n_error) AS error_diagnostics
        FROM reports GROUP BY template ORDER BY template
    """)
)
print(con.sql("SELECT error_type, count(*) AS files FROM errors GROUP BY ALL"))

# %% cells
print(
    con.sql("""
        SELECT r.agency, r.year, c.value AS fees, c.raw
        FROM cells c JOIN reports r USING (path)
        WHERE c.cell = 'active.fees.amount' AND c.value > 0
        ORDER BY r.agency, r.year
    """)
)

# %% codebook
book = govreport.codebook().set_index("id")
ids = ["active.fees.amount", "requests.denied.third_party.total", "review.reconsideration.corrected"]
print(book.loc[ids, ["section", "row_label", "column_label", "type", "unit"]].to_string())
print(
    con.sql("""
        SELECT k.section, k.type, k.unit, count(*) AS cells_read
        FROM cells c JOIN codebook k ON c.cell = k.id
        WHERE c.value IS NOT NULL AND c.provenance <> 'inferred'
        GROUP BY ALL ORDER BY list_position(['二', '三', '四'], any_value(k.section)), k.type, k.unit
    """)
)

# %% diagnostics
print(
    con.sql("""
        SELECT code, severity, count(*) AS n, count(DISTINCT path) AS reports
        FROM diagnostics GROUP BY ALL ORDER BY n DESC, code
    """)
)

# %% coverage
print(
    con.sql("""
        SELECT CASE WHEN path LIKE '%/real/%' THEN 'crawler text' ELSE 'seed' END AS source,
               count(*) FILTER (WHERE value IS NOT NULL AND provenance = 'printed') AS printed,
               count(*) FILTER (WHERE value IS NOT NULL AND provenance = 'solved') AS solved,
               count(*) FILTER (WHERE value IS NOT NULL AND provenance = 'inferred') AS inferred,
               count(*) FILTER (WHERE value IS NULL AND raw IS NOT NULL) AS printed_blank,
               count(*) FILTER (WHERE raw IS NULL) AS not_read
        FROM cells WHERE cell LIKE 'requests.%'
        GROUP BY ALL ORDER BY source
    """)
)

# %% outcomes
outcomes = con.sql("""
    SELECT r.year,
           CASE WHEN c.cell LIKE 'requests.granted.%' THEN 'granted'
                WHEN c.cell LIKE 'requests.partly_granted.%' THEN 'partly granted'
                WHEN c.cell LIKE 'requests.denied.%' THEN 'denied'
                WHEN c.cell LIKE 'requests.unavailable.%' THEN 'unavailable'
                WHEN c.cell LIKE 'requests.not_processed.%' THEN 'not processed'
                WHEN c.cell LIKE 'requests.other%' THEN 'other'
           END AS outcome,
           CAST(sum(c.value) AS BIGINT) AS requests
    FROM cells c JOIN reports r USING (path)
    WHERE c.cell LIKE 'requests.%.total' AND outcome IS NOT NULL AND c.provenance <> 'inferred'
    GROUP BY ALL
""").df()
table = outcomes.pivot_table(index="year", columns="outcome", values="requests", aggfunc="sum", fill_value=0)
table = table[["granted", "partly granted", "denied", "unavailable", "not processed", "other"]]
shares = table.div(table.sum(axis=1), axis=0)
print(table.to_string())

# %% figure
import matplotlib

matplotlib.use("Agg")  # draw to a file, no window
import matplotlib.pyplot as plt

ax = shares.plot.bar(stacked=True, figsize=(8, 4.5), width=0.75, rot=0, colormap="tab10")
for x, total in enumerate(table.sum(axis=1)):
    ax.annotate(f"{total}", (x, 1.01), ha="center", fontsize=9)
ax.set_xlabel("reporting year")
ax.set_ylabel("share of the requests decided")
ax.set_ylim(0, 1.08)
ax.set_title("How information requests were decided (numbers: requests decided)", pad=18)
ax.legend(title="outcome", loc="upper left", bbox_to_anchor=(1.01, 1))
plt.savefig("outcomes.png", dpi=100, bbox_inches="tight")

# %% pandas
from pathlib import Path

import govreport

wide = govreport.read_reports(sorted(Path("tests/data/seeds").glob("*.txt")))
print(wide.dtypes[["year", "requests.new.total", "active.procurement.amount"]].to_string())
print(wide[["agency", "year", "n_error", "requests.new.total", "active.penalty.decisions"]].to_string())
