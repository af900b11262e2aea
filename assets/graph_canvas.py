"""GraphCanvas: the browser half of components.graph_view.GraphView.

It lives here, beside its JavaScript, CSS and the compiled bundle, because Panel serves a
component's files relative to the module that defines the class. Rebuild the bundle after
editing graph_canvas.js (build time only, needs npm + esbuild):

    panel compile assets/graph_canvas.py:GraphCanvas
"""
from pathlib import Path

import param
from panel.custom import JSComponent

HERE = Path(__file__).resolve().parent


class GraphCanvas(JSComponent):
    """The browser side: WASM Graphviz layout, restyle, pan/zoom, SVG/PNG download."""

    dot = param.String(default="")
    paint = param.Dict(default={}, doc="One frame: {'nodes': {...}, 'edges': {...}, 'current', 'caption'}")
    frames = param.List(default=[], doc="Backward steps as style deltas: frame k = frames[0..k] merged")
    frame = param.Integer(default=0, doc="How many steps are shown; set in the browser by the stepper")
    selected = param.String(default="", doc="Id of the node the user clicked")
    render_ms = param.Number(default=0.0)
    export_name = param.String(default="graph")

    _esm = HERE / "graph_canvas.js"
    _bundle = HERE / "graph_canvas.bundle.js"
    _stylesheets = [HERE / "graph_canvas.css"]
    _importmap = {"imports": {"@hpcc-js/wasm-graphviz":
                              "https://cdn.jsdelivr.net/npm/@hpcc-js/wasm-graphviz@1.29.2/dist/index.js"}}
