"""Write tests/golden/engine.json: what real PyTorch shows for each snippet of
``engine_cases.py`` (result repr, stdout, warnings, error).

Run with PyTorch 2.13 installed: ``python3 tests/golden/make_engine_golden.py``. With
``--only-new``, snippets already in the file keep what it holds and only new or changed
ones are run: PyTorch's last digits can differ from one CPU to another.
"""
import json
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import engine_cases  # noqa: E402
import repl  # noqa: E402

OUT = pathlib.Path(__file__).with_name("engine.json")


def main():
    kept = {}
    if "--only-new" in sys.argv:
        kept = {(c["id"], c["code"]): c for c in json.loads(OUT.read_text())["cases"]}
    golden, ran = [], 0
    for case_id, code in engine_cases.CASES:
        case = kept.get((case_id, code))
        if case is None:
            case = {"id": case_id, "code": code, **repl.run(code, torch)}
            ran += 1
        golden.append(case)
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": golden}, indent=1) + "\n")
    print(f"wrote {len(golden)} cases to {OUT} ({ran} run now)")

if __name__ == "__main__":
    main()
