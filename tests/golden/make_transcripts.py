"""Runs each script in tests/golden/transcripts with ``torch`` bound to real PyTorch and
writes what it printed next to it (``.txt``). The engine must print the same
(tests/engine/test_transcripts.py). Needs ``pip install torch==2.13.0``."""
import contextlib
import io
import re
import sys
from pathlib import Path

FOLDER = Path(__file__).with_name("transcripts")


def transcript(path, torch_module):
    """What the script prints, with object addresses blanked."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            exec(compile(path.read_text(), str(path), "exec"), {"torch": torch_module,
                                                                 "__name__": "__main__"})
        except Exception as e:  # noqa: BLE001 - a script's error is part of its transcript
            print(f"{type(e).__name__}: {e}")
    return re.sub(r"0x[0-9a-f]+", "0x…", out.getvalue())


def main():
    import torch
    for path in sorted(FOLDER.glob("*.py")):
        path.with_suffix(".txt").write_text(transcript(path, torch))
        print("wrote", path.with_suffix(".txt"))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
