"""The tapescope command: argument parsing, safe defaults, headless export."""
import json
import shutil

import pytest

import engine
from app.main import main, parser, server_kwargs


def test_defaults_are_safe():
    args = parser().parse_args([])
    assert args.address == "127.0.0.1" and args.port == 5006 and not args.no_show
    kwargs = server_kwargs()
    assert kwargs["websocket_max_message_size"] == 1024 * 1024
    assert kwargs["unused_session_lifetime_milliseconds"] <= 15000


def test_serve_flags():
    args = parser().parse_args(["serve", "--port", "7000", "--no-show", "--allow-websocket-origin", "a:1",
                                "--allow-websocket-origin", "b:2", "--device", "cpu"])
    assert args.port == 7000 and args.no_show and args.allow_websocket_origin == ["a:1", "b:2"]


@pytest.mark.skipif(engine.cuda.is_available(), reason="checks the behaviour without a GPU")
def test_cuda_without_a_gpu_stops_at_startup(capsys):
    assert main(["--device", "cuda", "--no-show"]) == 2
    assert "cuda device needs cupy and an NVIDIA GPU" in capsys.readouterr().err


def test_export_json(tmp_path):
    code = tmp_path / "graph.py"
    code.write_text("x = torch.linspace(0, 2, steps=21, requires_grad=True)\ny = 3*x + 2\nout = y.sum()\n")
    out = tmp_path / "graph.json"
    assert main(["export", str(code), "-o", str(out)]) == 0
    names = {n["name"] for n in json.loads(out.read_text())["nodes"]}
    assert names == {"SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad"}


def test_export_rejects_hostile_code(tmp_path, capsys):
    code = tmp_path / "bad.py"
    code.write_text("import os\n")
    assert main(["export", str(code), "-o", str(tmp_path / "g.json")]) == 2
    assert "not allowed" in capsys.readouterr().err


def test_export_svg_needs_dot_or_says_so(tmp_path, capsys):
    code = tmp_path / "graph.py"
    code.write_text("x = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\n")
    out = tmp_path / "graph.svg"
    rc = main(["export", str(code), "-o", str(out)])
    if shutil.which("dot"):
        assert rc == 0 and "MulBackward0" in out.read_text()
    else:
        assert rc == 3 and "dot" in capsys.readouterr().err
