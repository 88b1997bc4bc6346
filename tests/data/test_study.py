"""Study files: validation, mapping export shapes to the tidy table, labels, no fallback to sample files."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.data.study import read_study, study_from_data
from conftest import ROOT

FIXTURES = ROOT / "tests" / "data"
SHAPES = ["webropol", "excel_fi", "latin1", "totals"]


@pytest.mark.parametrize("shape", SHAPES)
def test_every_export_shape_maps_to_the_tidy_table(shape):
    reference = read_study(FIXTURES / "tidy.study.toml").responses()
    mapped = read_study(FIXTURES / f"{shape}.study.toml").responses()
    pd.testing.assert_frame_equal(mapped[reference.columns], reference, check_dtype=False)


def test_labels_become_scale_points():
    frame = read_study(FIXTURES / "excel_fi.study.toml").responses()
    tidy = pd.read_csv(FIXTURES / "tidy.csv")
    assert set(frame["s1_access"].dropna().unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
    assert (frame["s1_access"] == 6).sum() == (tidy["s1_access"] == 6).sum() > 0  # "En osaa sanoa" is don't know
    assert set(frame["fcr"].dropna()) == {"yes", "no"}
    assert frame["nps"].isna().sum() == tidy["nps"].isna().sum() > 0


def test_month_is_derived_from_a_timestamp():
    frame = read_study(FIXTURES / "webropol.study.toml").responses()
    assert frame["month"].str.fullmatch(r"2025-\d\d").all()


def test_the_sample_study_is_complete():
    study = read_study(ROOT / "data" / "samples" / "study.toml", is_sample=True)
    assert study.is_sample and set(study.inputs) == {"responses", "volumes", "margins", "framework", "events",
                                                           "rules"}
    study.check_files()
    assert len(study.statements) == 7 and set(study.metrics) == {"nps", "csat", "ces", "fcr"}


def test_a_tidy_data_file_names_nothing_else():
    study = study_from_data(FIXTURES / "tidy.csv")
    assert set(study.inputs) == {"responses"} and not study.is_sample
    assert set(study.metrics) == {"nps", "fcr"} and len(study.statements) == 4
    with pytest.raises(wb.StudyError, match=r"The study does not name `volumes`: add a \[volumes\] table"):
        study.input("volumes")


def _write(tmp_path, text, name="s.study.toml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / name


def _minimal(tmp_path, extra="", labels=""):
    pd.DataFrame({"Yksikkö": ["a", "a", "b"], "Suositus": ["10 - Erittäin", "7", "Ehkä"],
                  "Väite": ["Täysin samaa mieltä", "EOS", "Täysin eri mieltä"]}).to_csv(tmp_path / "d.csv", index=False)
    return _write(tmp_path, f"""[study]
{extra}
[responses]
path = "d.csv"
[responses.columns]
unit = "Yksikkö"
[responses.metrics]
nps = "Suositus"
[responses.statements]
s1 = "Väite"
{labels}
""")


def test_unknown_labels_are_listed_with_counts(tmp_path):
    study = read_study(_minimal(tmp_path))
    with pytest.raises(wb.ScaleError, match=r"Answers that are not on their scale in '.*d\.csv': 'Suositus': "
                                            r"'Ehkä' \(1 rows\)\. Map them in the study's \[responses\.labels\]"):
        study.responses()
    mapped = study.map_responses()
    assert mapped.unknown["Suositus"].to_dict() == {"Ehkä": 1}
    assert mapped.frame["nps"].tolist()[:2] == [10.0, 7.0] and np.isnan(mapped.frame["nps"].iloc[2])


def test_label_maps_of_the_study(tmp_path):
    study = read_study(_minimal(tmp_path, labels='[responses.labels.nps]\n"Ehkä" = "missing"\n'))
    frame = study.responses()
    assert frame["nps"].tolist()[:2] == [10.0, 7.0] and np.isnan(frame["nps"].iloc[2])
    assert frame["s1"].tolist() == [5.0, 6.0, 1.0]


def test_an_identifier_in_an_unknown_label_is_redacted(tmp_path):
    pd.DataFrame({"u": ["a"], "n": ["Soita 040 765 4321"]}).to_csv(tmp_path / "d.csv", index=False)
    study = read_study(_write(tmp_path, '[responses]\npath = "d.csv"\ncolumns = {unit = "u"}\n'
                                        '[responses.metrics]\nnps = "n"\n'))
    with pytest.raises(wb.ScaleError) as error:
        study.responses()
    assert "765 4321" not in str(error.value) and "[phone]" in str(error.value)


@pytest.mark.parametrize("text, match", [
    ("[studdy]\nname = 'x'\n", r"unknown tables \['studdy'\]; valid: study, responses, volumes"),
    ("[study]\ncolour = 'red'\n", r"\[study\] has unknown keys \['colour'\]"),
    ("[study]\nlanguage = 'de'\n", r"\[study\] language must be one of fi, sv, en; got 'de'"),
    ("[study]\nmin_n = 0\n", r"\[study\] `min_n` must be positive and finite; got 0"),
    ("[study]\nround_counts = 1\n", r"round_counts must be a whole number of at least 2; got 1"),
    ("[responses]\nsheet = 'x'\n", r"\[responses\] needs a `path`"),
    ("[responses]\npath = 'd.csv'\nseparator = ';;'\n", r"\[responses\]: `separator` must be one character"),
    ("[responses]\npath = 'd.csv'\n[responses.columns]\nUnit = 'x'\n", r"role names must be lower-case identifiers; got \['Unit'\]"),
    ("[responses]\npath = 'd.csv'\n[responses.metrics]\nnet = 'x'\n", r"unknown metrics \['net'\]; built-in: nps, csat"),
    ("[volumes]\npath = 'v.csv'\nsheet_name = 1\n", r"\[volumes\] has unknown keys \['sheet_name'\]"),
    ("[responses\n", r"is not valid TOML"),
])
def test_invalid_study_files(tmp_path, text, match):
    with pytest.raises(wb.StudyError, match=match):
        read_study(_write(tmp_path, text))


def test_missing_study_and_missing_named_files(tmp_path):
    with pytest.raises(wb.StudyError, match=r"Study file '.*nope\.toml' does not exist"):
        read_study(tmp_path / "nope.toml")
    study = read_study(_write(tmp_path, '[responses]\npath = "gone.csv"\n[volumes]\npath = "v"\n'))
    (tmp_path / "v").mkdir()
    with pytest.raises(wb.StudyError, match=r"names files that cannot be read: responses: '.*gone\.csv' does not exist; "
                                            r"volumes: '.*v' is a folder"):
        study.check_files()


def test_mapped_columns_that_are_missing(tmp_path):
    study = read_study(_minimal(tmp_path).parent / "s.study.toml")
    text = (tmp_path / "s.study.toml").read_text(encoding="utf-8").replace('unit = "Yksikkö"', 'unit = "Toimipiste"')
    study = read_study(_write(tmp_path, text))
    with pytest.raises(wb.DataError, match=r"mapped columns \['Toimipiste'\] not found in 3 rows"):
        study.responses()


def test_dont_know_label_on_a_scale_without_dont_know(tmp_path):
    study = read_study(_minimal(tmp_path, labels='[responses.labels.nps]\n"Ehkä" = "dont_know"\n'))
    with pytest.raises(wb.StudyError, match=r"Label 'Ehkä' of 'nps' maps to don't know, but scale 'recommendation "
                                            r"0-10' has no don't-know code"):
        study.responses()


def test_volumes_are_read_with_their_own_options_and_columns():
    study = read_study(FIXTURES / "excel_fi.study.toml")
    volumes = study.read("volumes").frame
    assert {"unit", "customers_per_year"} <= set(volumes.columns) and volumes["customers_per_year"].dtype.kind == "i"
