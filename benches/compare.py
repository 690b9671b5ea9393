#!/usr/bin/env python3
"""goldpath against the plain pipelines and the I/O floor, in one run (issue 13's table).

Usage (from the repository root):

    cargo build --release -p goldpath-cli
    (cd benches/node && npm install --no-audit --no-fund --ignore-scripts)   # js-yaml, Ajv
    pip install pyyaml jsonschema                                          # the Python pipeline
    python3 benches/compare.py [--sizes 1000 10000] [--repeat 3] [--bindings]

For every size N it generates the synthetic application of gen_app.py and times, as separate
processes measured by /usr/bin/time (wall time and peak RSS), the median of REPEAT runs of:

- `goldpath render APP --app bench -o OUT` (the release CLI: load, plan, write YAML);
- the plain Node pipeline (benches/node/pipeline.js: js-yaml + Ajv + topological sort);
- the plain Python pipeline (benches/python_pipeline.py: PyYAML + jsonschema);
- the I/O floor: `cat` of every input file and `cp` of goldpath's output;

and prints the ratios. With --bindings it also times, at the largest size, the Python package
(`Platform.default().plan(...)` + `to_yaml()` written to a file) and the Node package
(`plan(...)` + `toYaml()` written to a file), each in its own process, against the CLI. They
need release builds of the packages: `maturin develop --release` (or a release wheel) in the
interpreter given by --python, and `npx napi build --platform --release` in bindings/node.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]


def measure(command: List[str], repeat: int) -> Tuple[float, int]:
    """Median wall seconds and median peak RSS (KiB) of `repeat` runs of `command`."""
    walls, peaks = [], []
    with tempfile.NamedTemporaryFile("r") as report:
        for _ in range(repeat):
            subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            report.seek(0)
            wall, peak = report.read().split()[-2:]
            walls.append(float(wall))
            peaks.append(int(peak))
    return statistics.median(walls), int(statistics.median(peaks))


def commands(cli: Path, app: Path, out: Path, reference: Path, python: Optional[str], bindings: bool) -> Dict[str, List[str]]:
    """What to time, by name."""
    node_pipeline = ROOT / "benches/node/pipeline.js"
    result = {
        "goldpath render": [str(cli), "render", str(app), "--app", "bench", "-o", str(out)],
        "plain Node pipeline": [
            "node", "-e",
            f"require('fs').writeFileSync({str(out)!r}, require({str(node_pipeline)!r}).plan({str(app)!r}))",
        ],
        "plain Python pipeline": [sys.executable, str(ROOT / "benches/python_pipeline.py"), str(app), str(out)],
        "I/O floor (cat + cp)": ["sh", "-c", f"cat {app}/*.yaml > /dev/null && cp {reference} {out}"],
    }
    if bindings:
        result["Python plan + to_yaml"] = [
            python or sys.executable, "-c",
            "import goldpath, sys\n"
            "plan = goldpath.Platform.default().plan(sys.argv[1], app='bench', env='development', env_type='development')\n"
            "open(sys.argv[2], 'w').write(plan.to_yaml())",
            str(app), str(out),
        ]
        result["Node plan + toYaml"] = [
            "node", "-e",
            f"const fs = require('fs'); const {{ Platform }} = require({str(ROOT / 'bindings/node')!r});"
            f"const dir = {str(app)!r};"
            "const texts = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => fs.readFileSync(dir + '/' + f, 'utf8'));"
            f"fs.writeFileSync({str(out)!r}, Platform.default().plan(texts, {{ app: 'bench', envType: 'development' }}).toYaml())",
        ]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bindings", action="store_true", help="also time the Python and Node packages at the largest size")
    parser.add_argument("--python", help="interpreter with the goldpath package installed (default: this one)")
    parser.add_argument("--cli", help="the goldpath binary (default: $CARGO_TARGET_DIR/release/goldpath)")
    parser.add_argument("--skip", nargs="*", default=[], help="names of pipelines to leave out (substrings)")
    args = parser.parse_args()
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    cli = Path(args.cli) if args.cli else target / "release" / "goldpath"
    if not cli.exists():
        sys.exit(f"{cli} is missing: run `cargo build --release -p goldpath-cli` first")
    print(f"median of {args.repeat} runs; wall seconds, peak RSS MiB; ratio = pipeline time / goldpath render time")
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.sizes:
            app, out, reference = Path(tmp) / f"app-{count}", Path(tmp) / "out.yaml", Path(tmp) / "reference.yaml"
            subprocess.run([sys.executable, str(ROOT / "benches/gen_app.py"), str(count), str(app)], check=True)
            subprocess.run([str(cli), "render", str(app), "--app", "bench", "-o", str(reference)],
                           check=True, stderr=subprocess.DEVNULL)  # warms the page cache
            size = reference.stat().st_size
            bindings = args.bindings and count == max(args.sizes)
            print(f"\nN = {count} workloads ({size / 1e6:.1f} MB of YAML from goldpath)")
            results = {}
            for name, command in commands(cli, app, out, reference, args.python, bindings).items():
                if any(s.lower() in name.lower() for s in args.skip):
                    continue
                results[name] = measure(command, args.repeat)
                if name.endswith(("to_yaml", "toYaml")) and out.read_bytes() != reference.read_bytes():
                    print(f"  warning: {name} wrote other bytes than the CLI")
            base = results["goldpath render"][0]
            for name, (wall, peak) in results.items():
                print(f"  {name:24} {wall:8.2f} s {peak / 1024:8.0f} MiB   {wall / base:7.2f}x render")
            for name in ("plain Node pipeline", "plain Python pipeline"):
                if name in results:
                    print(f"  goldpath render is {results[name][0] / base:.1f}x faster than the {name}")
            shutil.rmtree(app)


if __name__ == "__main__":
    main()
