"""The Ibis count on Spark in local mode: `make test-spark` (needs pyspark and Java 17; JVM start ~20 s).

Skipped under `make test`; `make test-spark` sets WORKBENCH_SPARK=1, and then a missing pyspark or Java fails
instead of skipping.
"""

import os

import pandas as pd
import pyarrow as pa
import pytest
from engine_sources import assert_same_outcome, outcome, reference, responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench as wb

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(os.environ.get("WORKBENCH_SPARK") != "1", reason="Spark runs under `make test-spark`"),
]


def spark_table(session, con, df: pd.DataFrame, name: str = "responses"):
    """``df`` as a Spark table seen through Ibis (via Arrow, so that missing values arrive as nulls)."""
    table = pa.Table.from_pandas(reference(df, "ibis-spark"), preserve_index=False)
    session.createDataFrame(table).createOrReplaceTempView(name)
    return con.table(name)


def test_spark_counts_equal_the_in_memory_counts_and_errors():
    import ibis
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("workbench-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    try:
        con = ibis.pyspark.connect(session)

        @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(responses(), st.sampled_from(["raise", "exclude"]))
        def same_as_in_memory(drawn, invalid):
            df, metric, by = drawn
            table = spark_table(session, con, df)
            expected = outcome(reference(df, "ibis-spark"), metric, by=by, invalid=invalid)
            assert_same_outcome(outcome(table, metric, by=by, invalid=invalid), expected)

        same_as_in_memory()

        df = pd.DataFrame({"area": ["Kainuu", "Kainuu", "Lappi"], "nps": [10, 3, 9], "w": [1.0, 2.0, 0.5]})
        table = spark_table(session, con, df, "weighted")
        got = wb.count_table(con, "nps", table="weighted", by="area", weights="w")
        pd.testing.assert_frame_equal(got.to_frame(), wb.count(df, "nps", by="area", weights="w").to_frame())
        assert got.quality.engine == "ibis-pyspark"
        pd.testing.assert_frame_equal(wb.estimate(table, "nps", by="area"), wb.estimate(df, "nps", by="area"))
    finally:
        session.stop()
