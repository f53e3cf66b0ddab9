"""Reading the reference CSV files shipped with the project (used by the data migration)."""
import csv
import os

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def read_rows(name: str) -> list[dict]:
    with open(os.path.join(DATA_DIR, name), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def region_rows() -> list[dict]:
    return [
        {"code": r["code"], "name_fr": r["name_fr"], "name_ar": r["name_ar"],
         "population_2024": int(r["population_2024"])}
        for r in read_rows("regions.csv")
    ]


def province_rows() -> list[dict]:
    return [
        {"code": r["code"], "name_fr": r["name_fr"], "name_ar": r["name_ar"], "kind": r["type"],
         "region_code": r["region_code"], "population_2024": int(r["population_2024"])}
        for r in read_rows("provinces.csv")
    ]
