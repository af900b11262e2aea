"""Write tests/golden/engine.json: what real PyTorch shows for each snippet of
``engine_cases.py`` (result repr, stdout, warnings, error).

Run with PyTorch 2.13 installed: ``python3 tests/golden/make_engine_golden.py``.
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
    golden = [{"id": case_id, "code": code, **repl.run(code, torch)}
              for case_id, code in engine_cases.CASES]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": golden}, indent=1) + "\n")
    print(f"wrote {len(golden)} cases to {OUT}")


if __name__ == "__main__":
    main()
