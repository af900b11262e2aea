"""Scripts in tests/golden/transcripts print exactly what they printed under PyTorch."""

import pytest

import engine
from tests.golden.make_transcripts import FOLDER, transcript


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.py")), ids=lambda p: p.stem)
def test_prints_what_pytorch_printed(path):
    expected = path.with_suffix(".txt").read_text()
    assert transcript(path, engine) == expected
