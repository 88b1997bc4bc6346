"""Write the export-shaped fixtures of ``tests/data/`` from one seeded tidy data set.

Run ``python tests/data/make_fixtures.py`` to rewrite them (the test suite checks that the committed
files are what this script writes). Every fixture holds the same 1,440 synthetic responses:

- ``tidy.csv`` — the workbench's own column names and scale points (the reference);
- ``webropol.xlsx`` — a Webropol-like Excel export: a title row, question texts as headers, answers as
  labels ("10 - Erittäin todennäköisesti", "Kyllä", "En osaa sanoa", "Täysin samaa mieltä"), a
  timestamp instead of a month;
- ``excel_fi.csv`` — a Finnish Excel CSV: semicolons, decimal comma, UTF-8 with BOM, Finnish column
  names, "En osaa sanoa";
- ``latin1.csv`` — the same from older Windows Excel: cp1252 bytes;
- ``totals.csv`` — with a total row and empty trailing rows;

plus volumes (``volumes.csv``, ``volumes_fi.csv``), population margins and one study file per shape.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
SEED = 2026_11_22
AREAS = ("Kainuu", "Lappi", "Pohjanmaa", "Satakunta", "Keski-Suomi")
SERVICES = ("phone service", "emergency department", "primary care visit")
STATEMENTS = {
    "s1_access": "Sain palvelua silloin, kun tarvitsin",
    "s2_respect": "Minua kohdeltiin kunnioittavasti",
    "s3_participation": "Sain osallistua hoitoani koskeviin päätöksiin",
    "s4_safety": "Tunsin oloni turvalliseksi",
}
AGREE_FI = {1: "Täysin eri mieltä", 2: "Jokseenkin eri mieltä", 3: "Ei samaa eikä eri mieltä",
            4: "Jokseenkin samaa mieltä", 5: "Täysin samaa mieltä", 6: "En osaa sanoa"}
NPS_FI = {0: "0 - En lainkaan todennäköisesti", 10: "10 - Erittäin todennäköisesti"}
HEADERS_FI = {
    "area": "Hyvinvointialue", "service": "Palvelu", "unit": "Toimipiste", "month": "Kuukausi",
    "age_group": "Ikäryhmä", "sex": "Sukupuoli", "weight": "Paino",
    "nps": "Kuinka todennäköisesti suosittelisit palvelua läheisillesi? (0–10)",
    "fcr": "Saitko asiasi hoidettua ensimmäisellä yhteydenotolla?",
    "comment": "Mitä muuta haluat kertoa palvelusta?",
    **STATEMENTS,
}


def tidy() -> pd.DataFrame:
    """The synthetic responses with the workbench's own names and scale points."""
    rng = np.random.default_rng(SEED)
    rows = []
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    for ai, area in enumerate(AREAS):
        for si, service in enumerate(SERVICES):
            for u in (1, 2):
                unit = f"{area} / {service} {u}"
                n = 48
                latent = 7.2 + 0.5 * si - 0.3 * ai + rng.normal(0, 0.4)
                score = np.clip(np.round(rng.normal(latent, 2.0, n)), 0, 10).astype(int)
                statements = {key: np.where(rng.random(n) < 0.08, 6,
                                            np.clip(np.round(rng.normal(latent / 2.2, 1.0, n)), 1, 5)).astype(int)
                              for key in STATEMENTS}
                fcr = np.where(rng.random(n) < 0.7, "yes", "no") if service == "phone service" else [None] * n
                rows.append(pd.DataFrame({
                    "area": area, "service": service, "unit": unit,
                    "month": rng.choice(months, n),
                    "age_group": rng.choice(["18-44", "45-64", "65+"], n, p=[0.3, 0.35, 0.35]),
                    "sex": rng.choice(["nainen", "mies"], n),
                    "weight": np.round(rng.uniform(0.5, 2.0, n), 2),
                    "nps": score, "fcr": fcr, **statements,
                    "comment": np.where(rng.random(n) < 0.2, "Hyvä palvelu, kiitos.", None),
                }))
    data = pd.concat(rows, ignore_index=True)
    missing = rng.random(len(data)) < 0.03  # item non-response on the recommendation question
    data["nps"] = data["nps"].astype(float).where(~missing)
    return data


def labelled(data: pd.DataFrame) -> pd.DataFrame:
    """Answers as survey tools export them: labels, Finnish yes/no, question texts as headers."""
    out = data.copy()
    out["nps"] = out["nps"].map(lambda v: "" if pd.isna(v) else NPS_FI.get(int(v), str(int(v))))
    out["fcr"] = out["fcr"].map({"yes": "Kyllä", "no": "Ei"})
    for key in STATEMENTS:
        out[key] = out[key].map(AGREE_FI)
    return out.rename(columns=HEADERS_FI)


def volumes(data: pd.DataFrame) -> pd.DataFrame:
    units = data[["area", "service", "unit"]].drop_duplicates().reset_index(drop=True)
    units["customers_per_year"] = [4000 + 700 * i for i in range(len(units))]
    return units


def margins() -> pd.DataFrame:
    return pd.DataFrame({"variable": ["age_group"] * 3 + ["sex"] * 2,
                         "category": ["18-44", "45-64", "65+", "nainen", "mies"],
                         "share": [0.4, 0.35, 0.25, 0.52, 0.48]})


STUDY_TEMPLATE = """# {title}
[study]
name = "{name}"
language = "en"
min_n = 5

[responses]
path = "{path}"
{options}
[responses.columns]
{columns}

[responses.metrics]
nps = "{nps}"
fcr = "{fcr}"

[responses.statements]
{statements}

[volumes]
path = "{volumes}"
{volume_options}columns = {{ unit = "{vol_unit}", customers_per_year = "{vol_customers}" }}

[margins]
path = "margins.csv"
"""


def _study(name, title, path, headers, options="", volumes_file="volumes.csv", date=False):
    roles = ["area", "service", "unit", "age_group", "sex", "weight", "comment"] + ([] if date else ["month"])
    columns = "\n".join(f'{r} = "{headers.get(r, r)}"' for r in roles)
    if date:
        columns += '\ndate = "Vastausaika"'
    statements = "\n".join(f'{k} = "{headers.get(k, k)}"' for k in STATEMENTS)
    fi_volumes = volumes_file == "volumes_fi.csv"
    return STUDY_TEMPLATE.format(
        title=title, name=name, path=path, options=options, columns=columns, nps=headers.get("nps", "nps"),
        fcr=headers.get("fcr", "fcr"), statements=statements, volumes=volumes_file,
        volume_options='separator = ";"\ndecimal = ","\n' if fi_volumes else "",
        vol_unit="Toimipiste" if fi_volumes else "unit",
        vol_customers="Asiakkaita vuodessa" if fi_volumes else "customers_per_year")


def write(folder: Path = HERE) -> list[Path]:
    """Write every fixture; returns the paths."""
    data = tidy()
    paths = []

    def put(name: str, text: str) -> None:
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)

    data.to_csv(folder / "tidy.csv", index=False)
    paths.append(folder / "tidy.csv")
    vol = volumes(data)
    vol.to_csv(folder / "volumes.csv", index=False)
    vol.rename(columns={"unit": "Toimipiste", "customers_per_year": "Asiakkaita vuodessa"}).to_csv(
        folder / "volumes_fi.csv", sep=";", decimal=",", index=False, encoding="utf-8-sig")
    margins().to_csv(folder / "margins.csv", index=False)
    paths += [folder / "volumes.csv", folder / "volumes_fi.csv", folder / "margins.csv"]
    identity = {c: c for c in data.columns}
    put("tidy.study.toml", _study("tidy", "The reference: tidy columns", "tidy.csv", identity))

    labels = labelled(data)
    # Webropol-like workbook: a title row above the header, a timestamp instead of the month.
    web = labels.drop(columns=[HEADERS_FI["month"]])
    rng = np.random.default_rng(SEED + 1)
    days = rng.integers(1, 28, len(data))
    web.insert(0, "Vastausaika", [f"{d:02d}.{m[5:]}.{m[:4]} {h:02d}:{mi:02d}" for d, m, h, mi in
                                  zip(days, data["month"], rng.integers(7, 21, len(data)),
                                      rng.integers(0, 60, len(data)))])
    with pd.ExcelWriter(folder / "webropol.xlsx", engine="xlsxwriter") as writer:
        writer.book.set_properties({"created": pd.Timestamp("2026-01-01").to_pydatetime()})
        web.to_excel(writer, sheet_name="Vastaukset", index=False, startrow=1)
        writer.sheets["Vastaukset"].write(0, 0, "Asiakaspalautekysely 2025 – raportti")
    paths.append(folder / "webropol.xlsx")
    put("webropol.study.toml", _study("webropol", "A Webropol-like Excel export", "webropol.xlsx", HEADERS_FI,
                                      'sheet = "Vastaukset"\nheader_row = 2\n', "volumes_fi.csv", date=True))

    labels.to_csv(folder / "excel_fi.csv", sep=";", decimal=",", index=False, encoding="utf-8-sig")
    paths.append(folder / "excel_fi.csv")
    put("excel_fi.study.toml", _study("excel_fi", "A Finnish Excel CSV export", "excel_fi.csv", HEADERS_FI,
                                      "", "volumes_fi.csv"))
    labels.to_csv(folder / "latin1.csv", sep=";", decimal=",", index=False, encoding="cp1252")
    paths.append(folder / "latin1.csv")
    put("latin1.study.toml", _study("latin1", "A cp1252 (Latin-1) CSV export", "latin1.csv", HEADERS_FI,
                                    'encoding = "cp1252"\n', "volumes_fi.csv"))
    totals = labels.copy()
    total_row = {c: "" for c in totals.columns}
    total_row[HEADERS_FI["area"]] = "Yhteensä"
    total_row[HEADERS_FI["nps"]] = str(len(totals))
    text = totals.to_csv(sep=";", decimal=",", index=False)
    text += ";".join(str(total_row[c]) for c in totals.columns) + "\n" + ";" * (len(totals.columns) - 1) + "\n" \
        + ";" * (len(totals.columns) - 1) + "\n"
    (folder / "totals.csv").write_text(text, encoding="utf-8")
    paths.append(folder / "totals.csv")
    put("totals.study.toml", _study("totals", "An export with a total row and empty trailing rows", "totals.csv",
                                    HEADERS_FI, "", "volumes_fi.csv"))
    return paths


if __name__ == "__main__":
    for written in write():
        print(written)
