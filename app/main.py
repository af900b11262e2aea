"""The `tapescope` command: serve the dashboard, or export a graph headlessly."""
from __future__ import annotations

import argparse
import json
import secrets
import shutil
import sys
from pathlib import Path

SESSION_LIMITS = {  # RELIABILITY.md §1: small inbound messages, closed tabs cleaned up fast
    "websocket_max_message_size": 1024 * 1024,
    "check_unused_sessions_milliseconds": 5000,
    "unused_session_lifetime_milliseconds": 15000,
}


def server_kwargs() -> dict:
    return dict(SESSION_LIMITS)


def build_apps(device: str = "cpu"):
    """The callable Panel serves: a fresh dashboard for every browser session."""
    from app.dashboard import dashboard

    def make():
        return dashboard(device=device)
    return make


def serve(args) -> None:
    import panel as pn
    origins = [f"localhost:{args.port}", f"127.0.0.1:{args.port}"]
    if args.address not in ("127.0.0.1", "localhost", "0.0.0.0", "::"):
        origins.append(f"{args.address}:{args.port}")
    origins += args.allow_websocket_origin or []
    print(f"tapescope: serving on http://{'localhost' if args.address == '127.0.0.1' else args.address}:{args.port}/")
    # Signed session ids with a secret made per start: a made-up id cannot join a session.
    pn.serve(build_apps(args.device), port=args.port, address=args.address,
             websocket_origin=origins, show=not args.no_show, title="tapescope",
             sign_sessions=True, secret_key=secrets.token_urlsafe(32), **server_kwargs())


def export(args) -> int:
    from app.evaluator import EvalError, evaluate
    from app.graph_page import snapshot_for
    from components.graph_view import build_dot
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in (".svg", ".png", ".json", ".html"):
        print("tapescope export: the output must end in .svg, .png, .json or .html",
              file=sys.stderr)
        return 2
    try:
        result = evaluate(Path(args.code_file).read_text())
        if result.root is None:
            raise EvalError("the code builds no graph (no tensor with requires_grad=True)")
    except (OSError, EvalError) as exc:
        print(f"tapescope export: {exc}", file=sys.stderr)
        return 2
    snapshot = snapshot_for(result)
    if suffix == ".html":  # the graph with its stepper, steps precomputed: works offline
        from app.standalone import save_standalone
        save_standalone(Path(args.code_file).read_text(), out)
    elif suffix == ".json":
        out.write_text(json.dumps(snapshot, indent=1))
    else:
        if shutil.which("dot") is None:
            print("tapescope export: SVG/PNG export needs Graphviz's `dot` program (e.g. `apt-get install "
                  "graphviz`). JSON export works without it, and the web page exports SVG/PNG from the browser.",
                  file=sys.stderr)
            return 3
        import graphviz
        out.write_bytes(graphviz.Source(build_dot(snapshot, args.saved)).pipe(format=suffix[1:]))
    print(f"tapescope: wrote {out} ({len(snapshot['nodes'])} nodes)")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tapescope", description="Visualise PyTorch-style autograd graphs and training.")
    sub = p.add_subparsers(dest="command")
    s = sub.add_parser("serve", help="serve the dashboard (default)")
    for target in (p, s):
        target.add_argument("--port", type=int, default=5006)
        target.add_argument("--address", default="127.0.0.1")
        target.add_argument("--no-show", action="store_true", help="do not open a browser")
        target.add_argument("--allow-websocket-origin", action="append", metavar="HOST[:PORT]",
                            help="extra origin allowed to connect (repeatable)")
        target.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    e = sub.add_parser("export", help="write a graph as SVG, PNG, JSON or a standalone HTML page, without a browser")
    e.add_argument("code_file")
    e.add_argument("-o", "--output", required=True)
    e.add_argument("--saved", action="store_true", help="include saved tensors")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.command == "export":
        return export(args)
    from app.training import check_device
    error = check_device(args.device)
    if error:   # said now, not as every run failing later
        print(f"tapescope: --device {args.device}: {error}", file=sys.stderr)
        return 2
    serve(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
