"""Sozialmonitor for analysts: read the exports with pandas and draw one chart.

    python3 -m venv .venv && .venv/bin/pip install -r examples/analysis/requirements.txt
    .venv/bin/python examples/analysis/analysis.py --base http://127.0.0.1:3000 \
        --indicator sgb2_rate_pct --out sgb2.png [--lake sozialmonitor-lake-k5.zip]

--base     the publication API (public): the catalogue entry and values.parquet are read from it
--values   instead of --base/api/v1/downloads/values.parquet: a downloaded file or another URL
--lake     optional: the analysts' lake export (GET :3003/api/v1/exports/lake.zip, role analyst);
           its metadata and the population table are summarised on the console
"""
import argparse
import io
import json
import urllib.request
import zipfile

import matplotlib

matplotlib.use("Agg")  # files only, no window
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

COUNTY = "01056"


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def read_values(source: str) -> pd.DataFrame:
    data = fetch(source) if source.startswith(("http://", "https://")) else open(source, "rb").read()
    return pd.read_parquet(io.BytesIO(data))


def describe_lake(path: str) -> None:
    with zipfile.ZipFile(path) as z:
        meta = json.loads(z.read("metadata.json"))
        print(f"lake export of {meta['generatedAt']}, k = {meta['k']}: {meta['totals']}")
        for source, info in meta["sources"].items():
            print(f"  {source}: {info['counts']}")
        if "population.parquet" in z.namelist():
            people = pd.read_parquet(io.BytesIO(z.read("population.parquet")))
            print(people.groupby("generalization_level").size().rename("records").to_string())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", default="http://127.0.0.1:3000")
    p.add_argument("--values", help="values.parquet (path or URL); default: from --base")
    p.add_argument("--indicator", default="sgb2_rate_pct")
    p.add_argument("--top", type=int, default=5, help="municipalities with the highest latest value")
    p.add_argument("--out", default="sozialmonitor.png")
    p.add_argument("--lake", help="the analysts' lake export (ZIP)")
    p.add_argument("--title", help="chart title; default: the indicator's German name from the API")
    args = p.parse_args()

    values = read_values(args.values or f"{args.base}/api/v1/downloads/values.parquet")
    title = args.title
    if title is None:
        entry = json.loads(fetch(f"{args.base}/api/v1/indicators/{args.indicator}"))
        title = f"{entry['names']['de']} ({entry['unit']})"

    series = values[values["indicator"] == args.indicator].copy()
    series["year"] = series["period"].astype(int)
    table = series.pivot_table(index="year", columns="region_name", values="value")  # suppressed: NaN, a gap
    latest = series[(series["year"] == series["year"].max()) & (series["region_code"] != COUNTY)]
    top = latest.nlargest(args.top, "value")["region_name"].tolist()
    county = series.loc[series["region_code"] == COUNTY, "region_name"].iloc[0]

    ax = table[top].plot(figsize=(9, 5), marker="o")
    table[county].plot(ax=ax, color="black", linewidth=3, label=f"{county} (Kreis)")
    ax.set_title(title)
    ax.set_xlabel("Jahr")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    plt.tight_layout()
    plt.savefig(args.out, dpi=120)
    print(f"{args.out}: {args.indicator}, {len(top)} municipalities and the county, {table.index.min()}–{table.index.max()}")

    if args.lake:
        describe_lake(args.lake)


if __name__ == "__main__":
    main()
