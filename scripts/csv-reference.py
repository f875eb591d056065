#!/usr/bin/env python3
"""Parse CSV files with Python's csv module and pandas, the references the
data package's differential test (data/csvdiff_test.go) compares wgml's CSV
reader with.

    csv-reference.py SPEC...   (SPEC = path:sep:header, sep one character or
                                "tab", header 0 or 1)

prints one JSON object per file, keyed by the file's base name:
  "csv":    the records of csv.reader (skipinitialspace, blank lines left out)
  "pandas": {"columns": names, "kinds": "number"|"text" per column,
             "values": per column, null for a missing value}
Missing values are the empty field, NA, NaN, ?, null (wgml's defaults).
"""
import csv
import json
import math
import os
import sys

import pandas as pd

NA = ["", "NA", "NaN", "?", "null", "na", "nan", "NULL", "Null"]


def parse(path, sep, header):
    with open(path, newline="", encoding="utf-8") as f:
        records = [r for r in csv.reader(f, delimiter=sep, skipinitialspace=True) if r]
    df = pd.read_csv(path, sep=sep, header=0 if header else None, skipinitialspace=True,
                     keep_default_na=False, na_values=NA, skip_blank_lines=True, dtype=None)
    kinds, values = [], []
    for name in df.columns:
        col = df[name]
        numeric = pd.api.types.is_numeric_dtype(col.dtype)
        kinds.append("number" if numeric else "text")
        out = []
        for v in col.tolist():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                out.append(None)
            elif numeric:
                out.append(float(v))
            else:
                out.append(str(v))
        values.append(out)
    names = [str(c) for c in df.columns] if header else None
    return {"csv": records, "pandas": {"columns": names, "kinds": kinds, "values": values}}


def main():
    out = {}
    for spec in sys.argv[1:]:
        path, sep, header = spec.rsplit(":", 2)
        sep = "\t" if sep == "tab" else sep
        out[os.path.basename(path)] = parse(path, sep, header == "1")
    json.dump(out, sys.stdout, indent=None, sort_keys=True)


if __name__ == "__main__":
    main()
