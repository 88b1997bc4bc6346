"""The data-quality summary and `workbench init` / `workbench check`."""

import shutil
import tomllib

import pandas as pd
import pytest

import workbench as wb
from workbench import cli
from workbench.data.study import read_study
from conftest import ROOT

FIXTURES = ROOT / "tests" / "data"


def test_summary_counts_rows_drops_answers_and_groups():
    quality = wb.quality_summary(read_study(FIXTURES / "totals.study.toml"))
    tidy = pd.read_csv(FIXTURES / "tidy.csv")
    assert quality.ok and quality.rows_read == 1443 and quality.dropped == {"empty row": 2, "total row": 1}
    nps = quality.answers.set_index("column").loc["Kuinka todennäköisesti suosittelisit palvelua läheisillesi? (0–10)"]
    assert nps["answered"] == tidy["nps"].notna().sum() and nps["empty"] == tidy["nps"].isna().sum()
    s1 = quality.answers.set_index("column").loc["Sain palvelua silloin, kun tarvitsin"]
    assert s1["dont_know"] == (tidy["s1_access"] == 6).sum() and s1["unknown"] == 0
    assert len(quality.groups) == 30 and not quality.groups["below_min_n"].any()


def test_summary_lists_unknown_labels_small_groups_and_duplicated_ids(tmp_path):
    pd.DataFrame({"id": [1, 2, 2, 3, 3, 3], "unit": ["a"] * 5 + ["b"],
                  "nps": ["10", "9", "Ehkä", "8", "Ehkä", "Soita 040 765 4321"]}).to_csv(tmp_path / "d.csv", index=False)
    (tmp_path / "s.toml").write_text('[study]\nmin_n = 3\n[responses]\npath = "d.csv"\n'
                                     'columns = { respondent_id = "id", unit = "unit" }\n'
                                     '[responses.metrics]\nnps = "nps"\n', encoding="utf-8")
    quality = wb.quality_summary(read_study(tmp_path / "s.toml"))
    assert not quality.ok
    assert quality.unknown.set_index("label")["rows"].to_dict() == {"Ehkä": 2, "Soita [phone]": 1}
    assert quality.groups.set_index("unit")["below_min_n"].to_dict() == {"a": False}  # b has no answer on the scale
    assert (quality.duplicated_ids, quality.duplicated_rows) == (2, 5)
    text, page = quality.to_text(), quality.to_html()
    assert "765 4321" not in text + page and "Ehkä" in text and "column 'nps' has 3 answers with 2 unknown labels" in text


def test_html_summary_escapes_what_comes_from_the_data(tmp_path):
    pd.DataFrame({"unit": ["<script>x</script>"] * 6, "nps": [9] * 6}).to_csv(tmp_path / "d.csv", index=False)
    (tmp_path / "s.toml").write_text('[responses]\npath = "d.csv"\ncolumns = { unit = "unit" }\n'
                                     '[responses.metrics]\nnps = "nps"\n', encoding="utf-8")
    page = wb.quality_summary(read_study(tmp_path / "s.toml")).to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_init_drafts_a_study_that_check_accepts_once_the_guesses_are_confirmed(tmp_path, capsys):
    for name in ("webropol.xlsx", "volumes_fi.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    assert cli.main(["init", str(tmp_path / "webropol.xlsx")]) == 0
    study_path = tmp_path / "webropol.study.toml"
    assert "guesses to confirm" in capsys.readouterr().out
    draft = tomllib.loads(study_path.read_text(encoding="utf-8"))
    assert draft["responses"]["header_row"] == 2 and draft["responses"]["sheet"] == "Vastaukset"
    assert draft["responses"]["columns"]["unit"] == "Toimipiste" and draft["responses"]["columns"]["date"] == "Vastausaika"
    assert draft["responses"]["metrics"] == {
        "nps": "Kuinka todennäköisesti suosittelisit palvelua läheisillesi? (0–10)",
        "fcr": "Saitko asiasi hoidettua ensimmäisellä yhteydenotolla?"}
    assert len(draft["responses"]["statements"]) == 4 and len(draft["study"]["unconfirmed"]) >= 10
    assert cli.main(["check", "--study", str(study_path)]) == 1  # the guesses are not confirmed yet
    out = capsys.readouterr().out
    assert "unconfirmed guess: responses.columns.unit" in out
    # the user checks each guess, then empties the list
    text = study_path.read_text(encoding="utf-8")
    start = text.index("unconfirmed = [")
    study_path.write_text(text[:start] + "unconfirmed = []" + text[text.index("]", start) + 1:], encoding="utf-8")
    assert cli.main(["check", "--study", str(study_path)]) == 0
    out = capsys.readouterr().out
    assert "no errors: the study can be used." in out and "rows read: 1,440" in out
    assert (tmp_path / "webropol.study.quality.html").exists()
    # the confirmed draft maps the same responses as the hand-written study
    drafted = read_study(study_path).responses()
    reference = read_study(FIXTURES / "webropol.study.toml").responses()
    assert drafted["nps"].equals(reference["nps"]) and drafted["unit"].equals(reference["unit"])


def test_init_refuses_to_overwrite(tmp_path, capsys):
    shutil.copy(FIXTURES / "tidy.csv", tmp_path / "tidy.csv")
    (tmp_path / "tidy.study.toml").write_text("# mine\n", encoding="utf-8")
    assert cli.main(["init", str(tmp_path / "tidy.csv")]) == 1
    assert "exists; pass --force to overwrite it" in capsys.readouterr().err


@pytest.mark.parametrize("study, match", [
    ("nope.toml", r"Study file '.*nope\.toml' does not exist"),
])
def test_check_reports_a_missing_study(study, match, tmp_path, capsys):
    assert cli.main(["check", "--study", str(tmp_path / study)]) == 1
    assert "workbench: error: Study file" in capsys.readouterr().err
