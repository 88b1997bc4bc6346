import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest

from workbench.errors import EventsError, ParameterError, WorkbenchWarning
from workbench.journey import read_events
from journey.conftest import events_frame

NOW = "2026-06-01"


def problems(events):
    return dict(zip(events.problems["problem"], events.problems["rows"]))


def test_a_study_mapping_renames_columns_to_roles():
    raw = events_frame([("p1", "2026-01-05 10:00"), ("p2", "2026-01-05 11:00")]).rename(
        columns={"person_id": "asiakas", "timestamp": "aika", "unit": "yksikkö"})
    ev = read_events(raw, mapping={"person_id": "asiakas", "timestamp": "aika", "unit": "yksikkö"}, now=NOW)
    assert ev.frame["person"].tolist() == [0, 1] and ev.frame["valid"].all()
    assert list(ev.frame["unit"]) == ["U1", "U1"] and "unit" in ev.roles and ev.problems.empty
    assert ev.person_ids.to_pylist() == ["p1", "p2"]


def test_every_bad_event_is_kept_counted_and_marked():
    raw = events_frame([("p1", "2026-01-05 10:00"), ("p1", "2026-01-05 10:00"),     # a duplicate
                        (None, "2026-01-06 10:00"), ("p2", "2027-01-06 10:00"),     # no id; in the future
                        ("p3", "2026-01-07 10:00", {"unit": "Ghost"}),             # unknown unit
                        ("p4", "2026-01-07 11:00", {"channel": "fax"}),            # unknown contact channel
                        ("p5", "2026-01-08 12:00", {"language": "en"}),            # kept, language missing
                        ("p6", "2026-01-08 13:00", {"deceased": None}),            # kept, read as deceased
                        ("p7", "2026-01-08 14:00", {"touchpoint": None})])         # no touchpoint
    with pytest.warns(WorkbenchWarning, match=r"data frame: 6 of 9 events cannot be used"):
        ev = read_events(raw, units=["U1"], now=NOW)
    assert problems(ev) == {"missing person id": 1, "timestamp in the future": 1, "unknown unit": 1,
                            "missing touchpoint": 1, "missing or unknown contact channel": 1,
                            "duplicate event (all key columns repeat)": 1, "language not fi, sv or other": 1,
                            "missing or unreadable flag deceased": 1}
    assert len(ev.frame) == 9 and ev.n_invalid == 6
    assert ev.problems.loc[ev.problems["problem"] == "unknown unit", "values"].item() == "['Ghost']"
    kept = ev.frame[ev.frame["valid"]]
    assert kept["deceased"].sum() == 1 and kept["language"].isna().sum() == 1
    assert set(ev.frame.loc[~ev.frame["valid"], "problem"]) == {
        "missing person id", "timestamp in the future", "unknown unit", "missing touchpoint",
        "missing or unknown contact channel", "duplicate event (all key columns repeat)"}


def test_messages_never_contain_person_ids():
    raw = events_frame([("secret-id-123", "2027-01-06 10:00")])
    with pytest.raises(EventsError) as info:
        read_events(raw, now=NOW, on_bad="raise")
    assert "secret-id-123" not in str(info.value)
    assert "timestamp in the future (timestamp): 1" in str(info.value)


def test_on_bad_keep_is_silent_and_an_unknown_choice_is_refused():
    raw = events_frame([(None, "2026-01-06 10:00")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_events(raw, now=NOW, on_bad="keep").n_invalid == 1
    with pytest.raises(ParameterError, match=r"Unknown `on_bad` 'ignore'; valid: 'warn', 'raise', 'keep'"):
        read_events(raw, on_bad="ignore")


def test_flags_accept_finnish_and_english_and_unreadable_ones_are_counted():
    raw = events_frame([("p1", "2026-01-05 10:00", {"non_disclosure": v}) for v in
                        ["kyllä", "ei", "Yes", "0", "1", "maybe"]])
    raw["non_disclosure"] = raw["non_disclosure"].astype(str)
    ev = read_events(raw.assign(timestamp=raw["timestamp"] + pd.to_timedelta(np.arange(6), "min")), now=NOW)
    # kyllä, ei, Yes, 0, 1 read as such; "maybe" is unreadable and read as set (the person is not invited)
    assert ev.frame["non_disclosure"].tolist() == [True, False, True, False, True, True]
    assert problems(ev)["missing or unreadable flag non_disclosure"] == 1


def test_naive_local_times_in_the_dst_gap_and_the_repeated_hour():
    raw = events_frame([("p1", "2026-01-05 10:00")])
    raw = pd.concat([raw] * 3, ignore_index=True)
    raw["timestamp"] = pd.to_datetime(["2026-03-29 03:30", "2026-10-25 03:30", "2026-06-01 12:00"])  # no zone
    ev = read_events(raw, now=NOW + "T23:59", on_bad="keep")
    assert problems(ev) == {"local time in the spring-forward gap, moved to its end": 1,
                            "local time in the repeated autumn hour, first occurrence taken": 1,
                            "timestamp in the future": 1}
    utc = ev.frame["time"].dt.strftime("%m-%d %H:%M").tolist()
    assert utc == ["03-29 01:00", "06-01 09:00", "10-25 00:30"]


def test_text_timestamps_with_and_without_offsets_and_unreadable_ones():
    raw = events_frame([(f"p{i}", "2026-01-05 10:00") for i in range(4)])
    raw["timestamp"] = ["2026-01-05T10:00:00+02:00", "2026-01-05 10:00", "5.1.2026 klo 10", None]
    ev = read_events(raw, now=NOW, on_bad="keep")
    assert problems(ev) == {"missing timestamp": 1, "unreadable timestamp": 1}
    valid = ev.frame[ev.frame["valid"]]
    assert valid["time"].dt.strftime("%H:%M").tolist() == ["08:00", "08:00"]  # both 10:00 in Helsinki winter


def test_the_order_of_the_rows_does_not_matter():
    rows = [(f"p{i % 7}", f"2026-02-{1 + i % 20:02d} {8 + i % 9}:00", {"touchpoint": ["visit", "chat"][i % 2]})
            for i in range(60)]
    raw = events_frame(rows)
    a = read_events(raw, now=NOW).frame
    b = read_events(raw.sample(frac=1, random_state=3), now=NOW).frame
    pd.testing.assert_frame_equal(a, b)


def test_parquet_csv_glob_and_duckdb_relation_give_the_same_events(tmp_path):
    raw = events_frame([("p1", "2026-01-05 10:00", {"journey_id": "j1"}), ("p2", "2026-01-06 11:00")])
    raw.to_parquet(tmp_path / "a.parquet")
    raw.to_csv(tmp_path / "a.csv", index=False)
    expected = read_events(raw, now=NOW).frame
    for source in (tmp_path / "a.parquet", str(tmp_path / "*.parquet"), tmp_path / "a.csv"):
        got = read_events(source, now=NOW).frame
        assert got["time"].tolist() == expected["time"].tolist(), source
        assert got["journey"].tolist() == [0, -1] and got["has_mobile"].all(), source
    con = duckdb.connect()
    relation = con.sql(f"SELECT * FROM read_parquet('{tmp_path / 'a.parquet'}')")
    assert read_events(relation, now=NOW).frame["unit"].tolist() == ["U1", "U1"]


def test_journeys_are_per_person_even_when_ids_repeat_across_persons():
    raw = events_frame([("p1", "2026-01-05 10:00", {"journey_id": "j"}), ("p2", "2026-01-05 11:00", {"journey_id": "j"}),
                        ("p1", "2026-01-09 10:00", {"journey_id": "j"})])
    assert read_events(raw, now=NOW).frame["journey"].tolist() == [0, 0, 1]


@pytest.mark.parametrize("source, kwargs, match", [
    ("nowhere.parquet", {}, r"Events file '.*nowhere\.parquet' does not exist"),
    ("events.json", {}, r"unknown type '\.json'; use Parquet \(\.parquet\) or CSV"),
    (None, {"mapping": {"patient": "x"}}, r"Unknown role\(s\) \['patient'\] in the column mapping"),
    (None, {"mapping": {"person_id": "asiakas"}}, r"data frame: column\(s\) for role\(s\) \['person_id -> asiakas'\]"
                                                  r" not found \(16 columns"),
    ([1, 2], {}, r"Events must be a Parquet or CSV path, a DataFrame, a pyarrow Table or a DuckDB relation; got list"),
])
def test_errors_name_the_source_and_the_column(tmp_path, source, kwargs, match):
    if source is None:
        source = events_frame([("p1", "2026-01-05 10:00")])
    elif isinstance(source, str):
        source = tmp_path / source
        if source.suffix == ".json":
            source.write_text("{}")
    with pytest.raises(EventsError, match=match):
        read_events(source, **kwargs)


def test_a_timestamp_column_of_numbers_is_refused_with_its_type():
    raw = events_frame([("p1", "2026-01-05 10:00")]).assign(timestamp=[1767600000])
    with pytest.raises(EventsError, match=r"data frame: timestamp column 'timestamp' has type BIGINT; expected a "
                                          r"timestamp, a date or text"):
        read_events(raw)


def test_a_missing_required_role_is_named():
    raw = events_frame([("p1", "2026-01-05 10:00")]).drop(columns=["touchpoint"])
    with pytest.raises(EventsError, match=r"role\(s\) \['touchpoint -> touchpoint'\] not found \(15 columns"):
        read_events(raw)


def test_empty_texts_are_missing_values_and_duplicates_are_ordered_by_content():
    raw = events_frame([("", "2026-01-05 10:00"), ("p1", "2026-01-05 11:00", {"unit": ""}),
                        ("p2", "2026-01-05 12:00", {"age_group": "75+"}), ("p2", "2026-01-05 12:00")])
    ev = read_events(raw, now=NOW, on_bad="keep")
    assert problems(ev) == {"missing person id": 1, "missing unit": 1, "duplicate event (all key columns repeat)": 1}
    assert list(ev.frame["unit"].cat.categories) == ["U1"] and ev.person_ids.to_pylist() == ["p1", "p2"]
    # The two p2 rows differ only in the age group: whichever order they come in, the same one is the duplicate.
    again = read_events(raw.iloc[::-1], now=NOW, on_bad="keep")
    pd.testing.assert_frame_equal(ev.frame, again.frame)
