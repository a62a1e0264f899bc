#!/usr/bin/env python3
"""The study's FAERS pipeline in DuckDB, timed, and checked against the `faers` CLI.

    python3 scripts/bench_duckdb.py [--threads 2] [--drug TERM ...] [--repeat 3]
                                    [--json FILE] [--check [--faers BIN]] ZIP|DIR...

What is timed, per run (each run is a fresh Python process, so that its peak RSS is its
own; the table shows every run, and the min and median):

  unzip   DEMO, DRUG and REAC (and the deleted-case lists) are inflated from the zips to a
          temporary folder with Python's zipfile, on --threads threads (zlib releases the
          GIL), each member streamed in 1 MiB pieces.
  load    one `read_csv` per table (all files of a table in one UNION ALL) into DuckDB
          tables, `delim='$', quote='', escape=''` (so `"` and `'` are data), every column
          VARCHAR, `ignore_errors=true, store_rejects=true` (a line DuckDB cannot read is
          left out and counted, never fatal); ids and fda_dt are parsed here. Only the
          columns the pipeline uses are kept (--all-columns keeps every column).
  dedup   FDA's rule (below), with the deleted-case lists applied.
  target  the deduplicated reports with a PS/SS DRUG row whose drugname or prod_ai
          contains a term.
  2x2     a, b, c, d for every PT of the target reports.

Peak memory is the run's `ru_maxrss` (the whole Python process: interpreter, DuckDB and
its buffers); DuckDB's own buffer-manager usage (`duckdb_memory()`) is sampled at the end
of each step and its largest value reported too. DuckDB runs with `SET threads=N`
(default 2), its default memory limit (80% of RAM) unless --memory-limit is given, and
`temp_directory` inside the run's temporary folder (under --tmp, default the system's),
so anything it spills goes to disk there; the folder is removed after the run.

Definitions: the SQL is written to give exactly what `faers analyze` gives with its
defaults (`--match contains --roles PS,SS --unit reports --dedup fda --deleted apply`),
so each of its reading and counting conventions is restated here:

* Members are found by base name, in any folder and any case: `DEMOyyQn.txt` (optionally
  `_NEW`), `DRUGyyQn.txt`, `REACyyQn.txt`; deleted-case lists are the other `.txt`
  members whose path contains `DELET`. The quarter is taken from the DEMO member's name.
  Columns are taken by header name (case-insensitive; a BOM is dropped). FAERS-era
  files (2012Q4 on) only: legacy AERS headers (ISR, CASE) are refused.
* Text is read as latin-1, byte for byte as the Rust tool reads it. `--encoding utf-8`
  loads faster (DuckDB then skips its transcoding; about a third of the load step) and
  gives the same result on pure-ASCII files such as the synthetic quarters, but it
  rejects lines with invalid UTF-8 and reads a UTF-8 `é` as one letter where the Rust
  tool sees two latin-1 ones. CRLF and LF both end a line; blank lines are ignored.
* Broken lines: a line with a field count other than the header's is rejected by DuckDB
  and counted ("rejected" in the output, per file). The Rust tool instead joins a record
  broken across lines and keeps a `$` inside a free-text field when that makes the row
  valid (both counted as "repaired" in its `inputs[]`), and accepts one extra empty
  field at the end of a line (legacy FDA's trailing `$`); on files where it did either,
  the two can differ. It skips what it cannot mend, as DuckDB does.
* Ids (primaryid, caseid): decimal digits only, blanks (space, tab) around allowed, at
  most 20 digits, fitting 64 bits. A DEMO, DRUG or REAC line whose primaryid is not one
  is skipped. A caseid that is blank, not a number or 0 is missing.
* fda_dt: `YYYY`, `YYYYMM` or `YYYYMMDD` (blanks around allowed), packed as YYYYMMDD
  with zeros for missing parts; anything else (or a year 0, a month > 12, a day > 31, a
  day without a month) is missing = 0, which loses to any date.
* Text (drugname, prod_ai, pt): control bytes (0x00-0x1F, 0x7F, so tabs too) removed,
  runs of spaces collapsed to one, trimmed, upper-cased (Unicode; `ß` becomes `SS` as in
  Rust's `to_uppercase`). `Sepsis`, ` SEPSIS ` and `sepsis` are one PT. A blank PT is no
  PT. Normalisation runs on the distinct raw spellings, then joins back, as in Rust.
* Role: role_cod trimmed and upper-cased (`ps` is PS).
* Terms (--drug): normalised the same way (their bytes read as latin-1, as the Rust tool
  does), empty ones dropped; a name matches when it contains a term (substring).
* Dedup, in this order (the Rust tool's funnel):
  1. a primaryid is one report: within a file its first DEMO row (later rows with the
     same primaryid are skipped), across files the copy of the latest quarter; its DRUG
     and REAC rows are those of the same file;
  2. reports whose caseid is on any loaded deleted-case list are removed (a list's lines
     are trimmed; blank lines and a `caseid` header are ignored; ids compare as numbers);
  3. per caseid the report with the latest fda_dt is kept, ties to the largest
     primaryid. A report with a missing caseid is a case of its own (never grouped).
* Counting (unit = reports): N = kept reports; T = kept reports with a PS/SS DRUG row
  whose drugname or prod_ai matches; per PT, a = target reports with it, b = T - a,
  c = other kept reports with it, d = N - a - b - c. A report counts once per PT however
  many REAC rows (or spellings) give it. Only PTs with a > 0 are listed (the Rust tool's
  `signals[]`). ROR = (a*d)/(b*c), undefined (None) when any cell is 0.

--check runs `faers analyze --drug ... --json -` on the same inputs (its own wall time and
peak RSS are reported too) and compares N (counts.reports), T (counts.target_reports),
the dedup funnel, and a, b, c, d for every PT in `signals[]`; any difference is printed
and the exit status is 1. Not compared: the Rust tool also reads OUTC, THER, INDI and
RPSR and computes descriptive tables and every measure, so its time covers more work.

DuckDB is not installed by this script: `pip install duckdb==2.0.1`, the version it was
written, checked and measured with.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

DUCKDB_PIN = "2.0.1"
DEFAULT_TERMS = ["inotuzumab", "besponsa"]
TABLES = ("DEMO", "DRUG", "REAC")
# Columns each table must have (by header name), and the ones the pipeline keeps.
USED = {
    "DEMO": ["primaryid", "caseid", "fda_dt"],
    "DRUG": ["primaryid", "role_cod", "drugname", "prod_ai"],
    "REAC": ["primaryid", "pt"],
}
STEPS = ["unzip", "load", "dedup", "target", "2x2"]


def import_duckdb():
    try:
        import duckdb  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "bench_duckdb.py needs DuckDB's Python package, which is not installed.\n"
            f"Install it with:  pip install duckdb=={DUCKDB_PIN}"
        )
    return duckdb


# ---------------------------------------------------------------------------------------
# Finding members (members.rs: by base name, any folder, any case)


def table_of(path: str):
    """(table, (year, quarter)) for the seven tables' members, else None."""
    base = path.replace("\\", "/").rsplit("/", 1)[-1].upper()
    if not base.endswith(".TXT"):
        return None
    stem = base[:-4]
    if stem.endswith("_NEW"):
        stem = stem[:-4]
    if len(stem) != 8 or not stem.isascii():
        return None
    kind, yy, q, n = stem[:4], stem[4:6], stem[6], stem[7]
    if kind not in ("DEMO", "DRUG", "REAC", "OUTC", "RPSR", "THER", "INDI"):
        return None
    if not yy.isdigit() or q != "Q" or n not in "1234":
        return None
    return kind, (2000 + int(yy), int(n))


def is_deleted_list(path: str) -> bool:
    upper = path.upper()
    return upper.endswith(".TXT") and table_of(path) is None and "DELET" in upper


def expand_inputs(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(
                os.path.join(p, f) for f in os.listdir(p) if f.lower().endswith(".zip")
            )
            if not found:
                sys.exit(f"{p}: no .zip files in this folder")
            out.extend(found)
        elif os.path.isfile(p):
            out.append(p)
        else:
            sys.exit(f"{p}: no such file or folder")
    return out


def plan_members(zips):
    """Per zip: its quarter and the members to extract."""
    plan = []
    for i, z in enumerate(zips):
        try:
            names = zipfile.ZipFile(z).namelist()
        except (zipfile.BadZipFile, OSError) as e:
            sys.exit(f"{z}: not a readable zip ({e})")
        tables, deleted, quarter = {}, [], None
        for name in names:
            t = table_of(name)
            if t and t[0] in TABLES:
                if t[0] not in tables:  # the first of two is read, as in Rust
                    tables[t[0]] = name
                if t[0] == "DEMO" and tables["DEMO"] == name:
                    quarter = t[1]
            elif is_deleted_list(name):
                deleted.append(name)
        missing = [t for t in TABLES if t not in tables]
        if missing:
            sys.exit(f"{z}: no {', '.join(missing)} table in this zip")
        plan.append({"index": i, "zip": z, "quarter": quarter, "tables": tables,
                     "deleted": deleted})
    return plan


# ---------------------------------------------------------------------------------------
# One run


def extract(plan, dest, threads):
    jobs = []
    for p in plan:
        for kind, name in p["tables"].items():
            jobs.append((p["zip"], name, os.path.join(dest, f"{p['index']}_{kind}.txt")))
        for j, name in enumerate(p["deleted"]):
            jobs.append((p["zip"], name, os.path.join(dest, f"{p['index']}_DELETED{j}.txt")))
    sizes = {}
    for z in {j[0] for j in jobs}:
        with zipfile.ZipFile(z) as zf:
            for info in zf.infolist():
                sizes[(z, info.filename)] = info.file_size
    jobs.sort(key=lambda j: -sizes[(j[0], j[1])])  # largest first, for balance

    def one(job):
        z, name, out = job
        with zipfile.ZipFile(z) as zf, zf.open(name) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return sizes[(z, name)]

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        return sum(pool.map(one, jobs))


def header_names(path):
    """The header's column names, lower-case, BOM and blanks dropped."""
    with open(path, "rb") as f:
        line = f.readline()
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    names = [n.strip(b" \t").decode("latin-1").lower()
             for n in line.rstrip(b"\r\n").split(b"$")]
    seen, out = set(), []
    for i, n in enumerate(names):
        n = n or f"_empty{i}"
        if n in seen:
            n = f"{n}_{i}"
        seen.add(n)
        out.append(n)
    return out


def ascii_upper(s: str) -> str:
    """values.rs Code::parse upper-cases ASCII only."""
    return "".join(c.upper() if c.isascii() else c for c in s)


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def normalize_term(term: str) -> str:
    """values.rs normalize_text, on the term's bytes read as latin-1."""
    out, pending = [], False
    for ch in term.encode("utf-8").decode("latin-1").strip(" \t"):
        if ord(ch) < 0x20 or ord(ch) == 0x7F:
            continue
        if ch in " \t":
            pending = True
            continue
        if pending and out:
            out.append(" ")
        pending = False
        out.append(ch.upper())
    return "".join(out)


MACROS = r"""
CREATE OR REPLACE TEMP MACRO fa_id(x) AS
  CASE WHEN CAST(TRY_CAST(x AS UBIGINT) AS VARCHAR) = x THEN TRY_CAST(x AS UBIGINT)
       WHEN regexp_full_match(x, '[ \t]*[0-9]{1,20}[ \t]*')
       THEN TRY_CAST(trim(x, ' \t') AS UBIGINT) END;
CREATE OR REPLACE TEMP MACRO fa_date(x) AS
  CASE WHEN length(x) = 8 AND NOT starts_with(x, '0000')
        AND regexp_full_match(x, '[0-9]{4}(00(00)?|(0[1-9]|1[0-2])([0-2][0-9]|3[01])?)?')
       THEN CAST(x AS UINTEGER)
       WHEN NOT starts_with(trim(x, ' \t'), '0000') AND regexp_full_match(x,
            '[ \t]*[0-9]{4}(00(00)?|(0[1-9]|1[0-2])([0-2][0-9]|3[01])?)?[ \t]*')
       THEN CAST(trim(x, ' \t') AS UINTEGER)
            * CASE length(trim(x, ' \t')) WHEN 8 THEN 1 WHEN 6 THEN 100 ELSE 10000 END
       ELSE 0 END;
CREATE OR REPLACE TEMP MACRO fa_norm(x) AS
  replace(upper(trim(regexp_replace(regexp_replace(x, '[\x00-\x1f\x7f]', '', 'g'),
                                    ' +', ' ', 'g'))), 'ẞ', 'SS');
"""


def parse_deleted(path):
    """ingest.rs: one caseid per line, trimmed; blanks and a `caseid` header ignored."""
    ids, bad = [], 0
    with open(path, "rb") as f:
        for n, raw in enumerate(f.read().split(b"\n"), 1):
            t = raw[:-1] if raw.endswith(b"\r") else raw
            t = t.strip(b" \t")
            if not t:
                continue
            if t.isdigit() and len(t) <= 20 and int(t) < 1 << 64:
                ids.append(int(t))
            elif not (n == 1 and t.lower() == b"caseid"):
                bad += 1
    return ids, bad


def run_once(args):
    """One timed run; returns a dict (printed as JSON by the worker)."""
    duckdb = import_duckdb()
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    zips = expand_inputs(args.zips)
    terms = []
    for t in args.drug or DEFAULT_TERMS:
        n = normalize_term(t)
        if n and n not in terms:
            terms.append(n)
    if not terms:
        sys.exit("no usable --drug term")
    load_before = os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="bench_duckdb_", dir=args.tmp)
    steps, duck_mem = {}, {}
    con = None
    try:
        # -- unzip ---------------------------------------------------------------
        t0 = time.perf_counter()
        plan = plan_members(zips)
        text_bytes = extract(plan, tmp, args.threads)
        t1 = time.perf_counter()
        steps["unzip"] = t1 - t0

        def mem():
            return con.execute(
                "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()"
            ).fetchone()[0]

        # -- load ----------------------------------------------------------------
        con = duckdb.connect(":memory:")
        con.execute(f"SET threads = {int(args.threads)}")
        con.execute(f"SET temp_directory = {sql_str(os.path.join(tmp, 'duckdb_tmp'))}")
        if args.memory_limit:
            con.execute(f"SET memory_limit = {sql_str(args.memory_limit)}")
        con.execute("SET preserve_insertion_order = true")  # file order = DEMO line order
        con.execute(MACROS)
        files = {}
        for p in plan:
            for kind in TABLES:
                path = os.path.join(tmp, f"{p['index']}_{kind}.txt")
                names = header_names(path)
                missing = [c for c in USED[kind] if c not in names]
                if missing:
                    sys.exit(f"{p['zip']}: {p['tables'][kind]} has no column "
                             f"{', '.join(missing)} (only FAERS-era files are supported)")
                files[(p["index"], kind)] = (path, names)

        def scan(index, kind):
            path, names = files[(index, kind)]
            cols = "{" + ", ".join(f"{sql_str(n)}: 'VARCHAR'" for n in names) + "}"
            return (f"read_csv({sql_str(path)}, delim='$', quote='', escape='', "
                    f"header=true, auto_detect=false, columns={cols}, "
                    f"encoding={sql_str(args.encoding)}, "
                    f"ignore_errors=true, store_rejects=true)")

        def keep(kind, index):
            """The columns kept from one file of a table."""
            _, names = files[(index, kind)]
            parsed = {"primaryid": "fa_id(primaryid) AS pid"}
            if kind == "DEMO":
                parsed.update({"caseid": "nullif(fa_id(caseid), 0) AS caseid",
                               "fda_dt": "fa_date(fda_dt) AS fda_dt"})
            if args.all_columns:
                rest = [f'"{n}"' for n in names if n not in parsed]
            else:
                rest = [n for n in USED[kind] if n not in parsed]
            return ", ".join([parsed[c] for c in USED[kind] if c in parsed] + rest)

        for kind in TABLES:
            parts = []
            for p in plan:
                y, q = p["quarter"]
                parts.append(
                    f"SELECT {p['index']}::USMALLINT AS f, {y * 4 + q}::UINTEGER AS qrank, "
                    f"{keep(kind, p['index'])} FROM {scan(p['index'], kind)}"
                )
            # A row whose pid is NULL (primaryid not an id) is skipped by every later
            # step, as the Rust tool skips its line; it is counted at the end. The
            # table's rowid is the file order (DEMO: first row of a primaryid wins).
            con.execute(f"CREATE TABLE {kind.lower()} AS " + " UNION ALL ".join(parts))
        deleted_ids, deleted_bad = [], 0
        for p in plan:
            for j in range(len(p["deleted"])):
                ids, bad = parse_deleted(os.path.join(tmp, f"{p['index']}_DELETED{j}.txt"))
                deleted_ids.extend(ids)
                deleted_bad += bad
        con.execute("CREATE TABLE deleted AS SELECT DISTINCT unnest(?::UBIGINT[]) AS caseid",
                    [deleted_ids])
        t2 = time.perf_counter()
        steps["load"] = t2 - t1
        duck_mem["load"] = mem()

        # -- dedup ---------------------------------------------------------------
        con.execute("""
            CREATE TABLE reports AS
            SELECT f, pid, caseid, fda_dt FROM demo WHERE pid IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY pid ORDER BY qrank DESC, rowid) = 1""")
        con.execute("""
            CREATE TABLE kept AS
            SELECT f, pid FROM reports r
            WHERE r.caseid IS NULL OR r.caseid NOT IN (SELECT caseid FROM deleted)
            QUALIFY row_number() OVER (
                PARTITION BY caseid, CASE WHEN caseid IS NULL THEN pid END
                ORDER BY fda_dt DESC, pid DESC) = 1""")
        t3 = time.perf_counter()
        steps["dedup"] = t3 - t2
        duck_mem["dedup"] = mem()

        # -- target --------------------------------------------------------------
        # Small tables are materialised on their own so that no filter on them is pushed
        # down onto every DRUG or REAC row: normalisation runs on distinct spellings.
        roles = [r for (r,) in con.execute("SELECT DISTINCT role_cod FROM drug").fetchall()
                 if r is not None and ascii_upper(r.strip(" \t")) in ("PS", "SS")]
        con.execute("CREATE TABLE spellings AS SELECT DISTINCT name FROM ("
                    "SELECT drugname AS name FROM drug UNION ALL SELECT prod_ai FROM drug)")
        match = " OR ".join(f"contains(fa_norm(name), {sql_str(t)})" for t in terms)
        con.execute(f"CREATE TABLE matched AS SELECT name FROM spellings "
                    f"WHERE name IS NOT NULL AND ({match})")
        in_roles = ", ".join(sql_str(r) for r in roles) or "NULL"
        con.execute(f"""
            CREATE TABLE target AS
            SELECT DISTINCT d.f, d.pid FROM drug d
            SEMI JOIN kept k ON d.f = k.f AND d.pid = k.pid
            WHERE d.role_cod IN ({in_roles})
              AND (d.drugname IN (SELECT name FROM matched)
                   OR d.prod_ai IN (SELECT name FROM matched))""")
        t4 = time.perf_counter()
        steps["target"] = t4 - t3
        duck_mem["target"] = mem()

        # -- 2x2 -----------------------------------------------------------------
        con.execute("CREATE TABLE pt_spellings AS SELECT DISTINCT pt FROM reac")
        con.execute("""
            CREATE TABLE ptmap AS
            SELECT pt, ptn, dense_rank() OVER (ORDER BY ptn) AS ptid FROM (
                SELECT pt, fa_norm(pt) AS ptn FROM pt_spellings WHERE pt IS NOT NULL)
            WHERE ptn <> ''""")
        n_reports = con.execute("SELECT count(*) FROM kept").fetchone()[0]
        n_target = con.execute("SELECT count(*) FROM target").fetchone()[0]
        rows = con.execute("""
            WITH rp AS (
                SELECT DISTINCT r.f, r.pid, m.ptid FROM reac r
                JOIN ptmap m ON r.pt = m.pt
                SEMI JOIN kept k ON r.f = k.f AND r.pid = k.pid),
            per_pt AS (
                SELECT rp.ptid, count(*) AS with_pt, count(t.pid) AS a
                FROM rp LEFT JOIN target t ON rp.f = t.f AND rp.pid = t.pid
                GROUP BY rp.ptid)
            SELECT n.ptn, p.a, p.with_pt FROM per_pt p
            JOIN (SELECT DISTINCT ptid, ptn FROM ptmap) n ON n.ptid = p.ptid
            WHERE p.a > 0""").fetchall()
        table = []
        for pt, a, with_pt in rows:
            b, c = n_target - a, with_pt - a
            d = n_reports - a - b - c
            ror = (a * d) / (b * c) if min(a, b, c, d) > 0 else None
            table.append({"pt": pt, "a": a, "b": b, "c": c, "d": d, "ror": ror})
        table.sort(key=lambda r: (-r["a"], r["pt"]))
        t5 = time.perf_counter()
        steps["2x2"] = t5 - t4
        duck_mem["2x2"] = mem()
        total = t5 - t0

        # -- bookkeeping (not timed) ---------------------------------------------
        funnel = dict(zip(
            ["demo_rows", "distinct_reports", "deleted_removed"],
            con.execute("""
                SELECT (SELECT count(*) FROM (SELECT DISTINCT f, pid FROM demo
                                              WHERE pid IS NOT NULL)),
                       (SELECT count(*) FROM reports),
                       (SELECT count(*) FROM reports
                        WHERE caseid IN (SELECT caseid FROM deleted))""").fetchone()))
        funnel["superseded_removed"] = (funnel["distinct_reports"]
                                        - funnel["deleted_removed"] - n_reports)
        rejected = {}
        try:
            for path, n in con.execute("""
                    SELECT s.file_path, count(DISTINCT e.line)
                    FROM reject_errors e JOIN reject_scans s
                      ON e.scan_id = s.scan_id AND e.file_id = s.file_id
                    GROUP BY s.file_path""").fetchall():
                rejected[path] = n
        except duckdb.Error:
            pass
        not_ids = {}
        for kind in TABLES:
            not_ids[kind] = con.execute(
                f"SELECT count(*) FROM {kind.lower()} WHERE pid IS NULL").fetchone()[0]
        rejected_by_member = {}
        for (index, kind), (path, _) in files.items():
            label = f"{os.path.basename(zips[index])}:{plan[index]['tables'][kind]}"
            rejected_by_member[label] = rejected.get(path, 0)
        duckdb_version = duckdb.__version__
    finally:
        if con is not None:
            con.close()
        shutil.rmtree(tmp, ignore_errors=True)

    return {
        "duckdb_version": duckdb_version,
        "threads": args.threads,
        "encoding": args.encoding,
        "all_columns": bool(args.all_columns),
        "zips": zips,
        "terms": terms,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "steps": steps,
        "total": total,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mib": rss_start / 1024,
        "duckdb_memory_mib": {k: v / 2**20 for k, v in duck_mem.items()},
        "text_bytes": text_bytes,
        "rejected_lines": rejected_by_member,
        "deleted_ids": len(set(deleted_ids)),
        "deleted_lines_not_ids": deleted_bad,
        "primaryid_not_an_id": not_ids,
        "counts": {"reports": n_reports, "target_reports": n_target, **funnel},
        "pts": table,
    }


# ---------------------------------------------------------------------------------------
# The Rust CLI, for --check


def run_faers(args, zips):
    cmd = [args.faers, "analyze"]
    for t in args.drug or DEFAULT_TERMS:
        cmd += ["--drug", t]
    cmd += ["--json", "-"] + zips
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        except OSError as e:
            sys.exit(f"cannot run {args.faers}: {e} (pass the faers binary with --faers BIN)")
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                     + err.read().decode(errors="replace"))
    return cmd, wall, usage.ru_maxrss / 1024, json.loads(out)


def compare(ours, rust):
    diffs = []
    rc = rust["counts"]
    for key in ["reports", "target_reports", "demo_rows", "distinct_reports",
                "deleted_removed", "superseded_removed"]:
        if ours["counts"][key] != rc.get(key):
            diffs.append(f"counts.{key}: duckdb {ours['counts'][key]}, faers {rc.get(key)}")
    mine = {r["pt"]: r for r in ours["pts"]}
    theirs = {s["pt"]: s for s in rust["signals"]}
    for pt in sorted(set(mine) | set(theirs)):
        m, t = mine.get(pt), theirs.get(pt)
        if m is None:
            diffs.append(f"PT {pt}: only in faers (a={t['a']}, b={t['b']}, c={t['c']}, d={t['d']})")
        elif t is None:
            diffs.append(f"PT {pt}: only in duckdb (a={m['a']}, b={m['b']}, c={m['c']}, d={m['d']})")
        else:
            cells = [k for k in "abcd" if m[k] != t[k]]
            if cells:
                diffs.append(f"PT {pt}: " + ", ".join(
                    f"{k} duckdb {m[k]} faers {t[k]}" for k in cells))
            elif (m["ror"] is None) != (t["ror"] is None) or (
                    m["ror"] is not None and abs(m["ror"] - t["ror"]) > 1e-9 * abs(t["ror"])):
                diffs.append(f"PT {pt}: ROR duckdb {m['ror']} faers {t['ror']}")
    return diffs, len(theirs)


# ---------------------------------------------------------------------------------------
# Driver


def worker_command(args):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker",
           "--threads", str(args.threads), "--encoding", args.encoding]
    for t in args.drug or []:
        cmd += ["--drug", t]
    if args.tmp:
        cmd += ["--tmp", args.tmp]
    if args.memory_limit:
        cmd += ["--memory-limit", args.memory_limit]
    if args.all_columns:
        cmd.append("--all-columns")
    return cmd + ["--"] + args.zips


def fmt_table(headers, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "  ".join(str(x).rjust(w) if i else str(x).ljust(w)  # noqa: E731
                               for i, (x, w) in enumerate(zip(r, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def default_faers():
    """This checkout's release build, else `faers` on PATH."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    built = os.path.join(here, "target", "release", "faers")
    if os.access(built, os.X_OK):
        return built
    found = shutil.which("faers")
    if not found:
        sys.exit("--check needs the faers binary: build it with "
                 "`cargo build --release -p faers-cli` or pass --faers BIN")
    return found


def main():
    ap = argparse.ArgumentParser(
        description="Time the study's FAERS pipeline (unzip, load, FDA dedup, 2x2 for one "
                    "drug) in DuckDB; optionally check it against `faers analyze`.")
    ap.add_argument("zips", nargs="+", metavar="ZIP", help="quarterly zips, or folders of them")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads and unzip threads (2)")
    ap.add_argument("--drug", action="append", metavar="TERM",
                    help="drug term, repeatable (default: inotuzumab, besponsa)")
    ap.add_argument("--repeat", type=int, default=3, help="runs, each in a fresh process (3)")
    ap.add_argument("--json", metavar="FILE", help="write every number here ('-' for stdout)")
    ap.add_argument("--check", action="store_true",
                    help="also run `faers analyze` on the same zips and compare the counts")
    ap.add_argument("--faers", metavar="BIN", default=None,
                    help="the faers binary for --check (default: target/release/faers of "
                         "this checkout, else faers on PATH)")
    ap.add_argument("--encoding", default="latin-1", choices=["latin-1", "utf-8"],
                    help="how DuckDB decodes the text (latin-1, as the Rust tool)")
    ap.add_argument("--all-columns", action="store_true",
                    help="load every column of DEMO, DRUG and REAC, not only the used ones")
    ap.add_argument("--memory-limit", metavar="SIZE", help="DuckDB memory_limit, e.g. 1GB")
    ap.add_argument("--tmp", metavar="DIR", help="where the run's temporary folder goes")
    ap.add_argument("--top", type=int, default=10, help="PTs shown, by a (10)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        print(json.dumps(run_once(args)))
        return 0

    duckdb = import_duckdb()  # fail early with the install hint
    zips = expand_inputs(args.zips)
    runs = []
    for i in range(max(1, args.repeat)):
        proc = subprocess.run(worker_command(args), stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            return proc.returncode
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = runs[-1]
        print(f"run {i + 1}: {r['total']:.2f} s, peak RSS {r['peak_rss_mib']:.0f} MiB, "
              f"load average {r['load_average_before'][0]:.2f}", file=sys.stderr)
    first = runs[0]
    for r in runs[1:]:
        if (r["counts"], r["pts"]) != (first["counts"], first["pts"]):
            print("warning: the runs disagree on the counts", file=sys.stderr)

    print(f"DuckDB {duckdb.__version__}, {args.threads} threads, encoding {args.encoding}, "
          f"{'all' if args.all_columns else 'used'} columns; "
          f"{len(zips)} zip(s): {', '.join(os.path.basename(z) for z in zips)}")
    print(f"inflated DEMO+DRUG+REAC+deleted: {first['text_bytes'] / 1e6:.0f} MB; "
          f"terms {', '.join(first['terms'])}")
    headers = ["step"] + [f"run {i + 1}" for i in range(len(runs))] + ["min", "median"]
    body = []
    for step in STEPS + ["total"]:
        vals = [r["total"] if step == "total" else r["steps"][step] for r in runs]
        body.append([step] + [f"{v:.2f}" for v in vals]
                    + [f"{min(vals):.2f}", f"{statistics.median(vals):.2f}"])
    rss = [r["peak_rss_mib"] for r in runs]
    body.append(["peak RSS MiB"] + [f"{v:.0f}" for v in rss]
                + [f"{min(rss):.0f}", f"{statistics.median(rss):.0f}"])
    dmem = [max(r["duckdb_memory_mib"].values()) for r in runs]
    body.append(["duckdb mem MiB"] + [f"{v:.0f}" for v in dmem]
                + [f"{min(dmem):.0f}", f"{statistics.median(dmem):.0f}"])
    loads = [r["load_average_before"][0] for r in runs]
    body.append(["load avg (1m)"] + [f"{v:.2f}" for v in loads] + ["", ""])
    print(fmt_table(headers, body))
    print("(seconds; peak RSS = the run's whole Python process, "
          f"{first['rss_before_mib']:.0f} MiB of it before DuckDB; duckdb mem = largest "
          "duckdb_memory() total at a step's end)")
    c = first["counts"]
    rejected = sum(first["rejected_lines"].values())
    print(f"DEMO rows {c['demo_rows']}, distinct primaryids {c['distinct_reports']}, "
          f"deleted {c['deleted_removed']}, superseded {c['superseded_removed']}; "
          f"N = {c['reports']}, target reports = {c['target_reports']}; "
          f"PTs with a > 0: {len(first['pts'])}; rejected lines: {rejected}")
    for member, n in first["rejected_lines"].items():
        if n:
            print(f"  rejected: {member}: {n} line(s)")
    for kind, n in first["primaryid_not_an_id"].items():
        if n:
            print(f"  skipped: {kind}: {n} row(s) whose primaryid is not an id")
    top = [[r["pt"], r["a"], r["b"], r["c"], r["d"],
            "-" if r["ror"] is None else f"{r['ror']:.2f}"] for r in first["pts"][:args.top]]
    print(fmt_table(["PT", "a", "b", "c", "d", "ROR"], top))

    status = 0
    result = {"runs": runs, "summary": {
        "duckdb_version": duckdb.__version__, "python": sys.version.split()[0],
        "steps_min": {s: min(r["steps"][s] for r in runs) for s in STEPS},
        "steps_median": {s: statistics.median(r["steps"][s] for r in runs) for s in STEPS},
        "total_min": min(r["total"] for r in runs),
        "total_median": statistics.median(r["total"] for r in runs),
        "peak_rss_mib_max": max(rss), "counts": c}}
    if args.check:
        args.faers = args.faers or default_faers()
        cmd, wall, peak, rust = run_faers(args, zips)
        diffs, n_pts = compare(first, rust)
        print(f"\ncheck: {' '.join(cmd)}")
        print(f"  faers: {wall:.2f} s, peak RSS {peak:.0f} MiB (it also reads OUTC, THER, "
              "INDI, RPSR and computes every measure)")
        if diffs:
            status = 1
            print(f"  {len(diffs)} difference(s):")
            for d in diffs[:50]:
                print("   ", d)
            if len(diffs) > 50:
                print(f"    ... and {len(diffs) - 50} more")
        else:
            print(f"  match: N, target reports, the dedup funnel and a, b, c, d of all "
                  f"{n_pts} PTs are identical")
        result["check"] = {"command": cmd, "faers_wall_s": wall, "faers_peak_rss_mib": peak,
                           "differences": diffs, "pts_compared": n_pts,
                           "match": not diffs}
    if args.json:
        text = json.dumps(result, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as f:
                f.write(text + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
