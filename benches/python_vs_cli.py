#!/usr/bin/env python3
"""Times goldpath's Python package against the CLI and against a pure-Python pipeline on the
synthetic application of gen_app.py (release builds; run from the repository root):

    cargo build --release -p goldpath-cli
    (cd bindings/python && maturin develop --release)      # or: pip install ./bindings/python
    pip install pyyaml jsonschema
    python benches/python_vs_cli.py [N] [REPEAT]           # default N = 10000, REPEAT = 3

Prints the best wall time of REPEAT runs of:
- cli:          `goldpath render APP --app bench -o out.yaml` (load, plan, write YAML);
- python plan:  `Platform.default().plan(APP, ...)` (load and plan; objects kept in memory);
- python yaml:  the same, then `plan.to_yaml()` written to a file (the CLI's whole job);
- 2 threads:    two `plan` calls at once from two Python threads (the GIL is released);
- pure python:  benches/python_pipeline.py (PyYAML + jsonschema + topological sort + dicts).
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, List

import goldpath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benches"))
import python_pipeline  # noqa: E402


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    target = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/goldpath/target"))
    cli = target / "release" / "goldpath"
    with tempfile.TemporaryDirectory() as tmp:
        app, out = Path(tmp) / "app", Path(tmp) / "out.yaml"
        subprocess.run([sys.executable, str(ROOT / "benches/gen_app.py"), str(count), str(app)], check=True)
        platform = goldpath.Platform.default()

        def plan() -> goldpath.Plan:
            return platform.plan(app, app="bench", env="development", env_type="development")

        def cli_render() -> None:
            subprocess.run([str(cli), "render", str(app), "--app", "bench", "-o", str(out)], check=True, stderr=subprocess.DEVNULL)

        def python_yaml() -> None:
            out.write_text(plan().to_yaml())

        def two_threads() -> None:
            threads: List[threading.Thread] = [threading.Thread(target=plan) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        cli_render()  # warm the page cache
        cli_bytes = out.read_bytes()
        python_yaml()
        same = out.read_bytes() == cli_bytes
        results = {
            "cli render": best(repeat, cli_render),
            "python plan": best(repeat, plan),
            "python plan + to_yaml + write": best(repeat, python_yaml),
            "python plan x2, 2 threads": best(repeat, two_threads),
            "pure python pipeline": best(repeat, lambda: out.write_text(python_pipeline.render(app))),
        }
    print(f"N = {count} workloads, best of {repeat}; Python and CLI YAML identical: {same}")
    for name, seconds in results.items():
        print(f"  {name:32} {seconds:8.3f} s  ({seconds / results['cli render']:.2f}x cli)")


if __name__ == "__main__":
    main()
