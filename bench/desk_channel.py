"""Opening a channel of 1,000,000 messages in the desktop app: first screen and memory.

Subject: in a fresh process (bench/_desk_channel_child.py), the real main window on an
unlocked vault of 1,010,000 messages (20,000 + 2,500 with --quick): one channel of 1,000,000
("convoy-ops"), the mission-wide one of 1,000 ("general") and three of 3,000, written through
the one road by five authors. Selecting "convoy-ops" in the channel list, timed until the
MessageListModel holds its newest page (100 rows, read on the vault's thread) and the message
table has painted them. The first open is cold for SQLCipher's page cache (the OS file cache is
warm); then it is opened again in every round. After the last open the table is scrolled down
a few pages (each one timed), and the resident memory of the process is read.

Baselines, in the same process and interleaved (rotating which goes first):
- opening "general", 1,000 messages, the same way;
- the newest page read on the vault's thread without Qt: the SQL alone (fetchall), the store's
  rows (`vault.messages.older`) and the views (`MessagingService.older`), for both channels.

Targets: first screen of the 1,000,000-message channel <= 100 ms (median of the rounds; the
cold first open is printed too), resident memory <= 300 MB after it is open and scrolled.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import BENCH_DIR, Check, header, median, parser, report, write_checks
from _desk_common import PASSPHRASE, Layout, child_env, database_mib, vault_for

NAME = "desk_channel"
TARGET_MS = 100.0
TARGET_RSS_MB = 300.0
CHILD = BENCH_DIR / "_desk_channel_child.py"
BIG, SMALL = "convoy-ops", "general"
FULL = Layout(
    (
        ("general", 1_000),
        ("convoy-ops", 1_000_000),
        *((n, 3_000) for n in ("medical", "logs", "north")),
    )
)
QUICK = Layout(
    (("general", 1_000), ("convoy-ops", 20_000), *((n, 500) for n in ("medical", "logs", "north")))
)
NOISE = ("This plugin does not support",)


def ms(values: list[float]) -> str:
    low, high = min(values) * 1000, max(values) * 1000
    return f"{median(values) * 1000:7.2f} ms (min {low:.2f}, max {high:.2f})"


def main(argv: list[str] | None = None) -> int:
    p = parser("opening a channel of 1,000,000 messages: first screen and resident memory")
    p.add_argument("--rounds", type=int, default=None, help="opens of each channel (9; quick 3)")
    p.add_argument("--pages", type=int, default=5, help="pages scrolled after the last open")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    p.add_argument("--keep", type=Path, default=None, help="build the vault here and reuse it")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    rounds = args.rounds or (3 if quick else 9)
    layout = QUICK if quick else FULL
    big_count = dict(layout.channels)[BIG]

    header(f"opening a channel of {big_count:,} messages in the main window", quick)
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp_name:
        tmp = Path(tmp_name)
        root, manifest = vault_for(layout, args.keep, tmp)
        ids = manifest["channels"]
        print(
            f"vault: {layout.total:,} messages ("
            + ", ".join(f"{n} {c:,}" for n, c in layout.channels)
            + f"), database {database_mib(root):.0f} MiB; Qt platform offscreen"
        )
        env = child_env({"XDG_DATA_HOME": str(tmp / "data"), "XDG_CONFIG_HOME": str(tmp / "cfg")})
        command = [sys.executable, str(CHILD), str(root), PASSPHRASE, ids[BIG], ids[SMALL]]
        done = subprocess.run(
            [*command, str(rounds), str(args.pages)],
            env=env,
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        errors = [x for x in done.stderr.splitlines() if not x.startswith(NOISE)]
        raise SystemExit(
            f"the child failed (exit status {done.returncode}):\n" + "\n".join(errors[-30:])
        )
    result = json.loads(lines[-1][len("RESULT ") :])
    opens, reads, scrolls, rss = result["opens"], result["reads"], result["scrolls"], result["rss"]
    big_open, small_open = opens["big"], opens["small"]
    cold, warm = big_open[0], big_open[1:] or big_open
    first_screen = median(warm)

    print(f"\nresults ({rounds} rounds; from the selection to the paint of the new rows)")
    print(
        f"  open {BIG} ({big_count:,}): first (cold cache) {cold * 1000:.1f} ms; again {ms(warm)}"
    )
    print(f"  open {SMALL} (1,000):       {ms(small_open)}")
    print(f"  ratio {BIG} / {SMALL}:   {first_screen / median(small_open):.2f}x")
    print(
        f"  the window's own first channel ({SMALL}) after show: "
        f"{result['first_window_open'] * 1000:.0f} ms"
    )
    print("\n  the newest page of 100 on the vault's thread (no Qt), medians:")
    for which, label in (("big", BIG), ("small", SMALL)):
        r = reads[which]
        print(
            f"    {label:11s} SQL {median(r['sql']) * 1000:6.2f} ms, store rows "
            f"{median(r['rows']) * 1000:6.2f} ms, views {median(r['views']) * 1000:6.2f} ms"
        )
    sql_big = median(reads["big"]["sql"])
    views_big = median(reads["big"]["views"])
    print(
        f"    first screen / raw SQL page {first_screen / sql_big:.1f}x; / views "
        f"{first_screen / views_big:.2f}x (the rest is the task hop, the model and the paint)"
    )
    print(
        f"\n  scrolling {len(scrolls)} pages down {BIG}: {ms(scrolls)} per page, "
        f"{result['rows_held']} rows held"
    )
    print(
        "  resident memory (MiB): "
        + ", ".join(f"{k} {v:.0f}" for k, v in rss.items() if k != "peak")
        + f"; peak {rss['peak']:.0f}"
    )
    rss_mb = rss["scrolled"] * 2**20 / 1e6
    checks = [
        Check(
            NAME,
            f"first screen of {big_count:,} messages",
            first_screen * 1000,
            TARGET_MS,
            "<=",
            "ms",
            f"cold first open {cold * 1000:.1f} ms; {first_screen / median(small_open):.2f}x "
            f"the 1,000-message channel; {first_screen / sql_big:.1f}x the raw SQL page",
        ),
        Check(
            NAME,
            "resident memory, open and scrolled",
            round(rss_mb, 1),
            TARGET_RSS_MB,
            "<=",
            "MB",
            f"{rss['scrolled']:.0f} MiB after {len(scrolls)} pages; peak {rss['peak']:.0f} MiB",
        ),
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
