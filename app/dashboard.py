"""The dashboard: a header and two tabs, built fresh for every browser session."""
from __future__ import annotations

import html
import logging

import panel as pn

log = logging.getLogger(__name__)
HEADER_CSS = """
.ts-header { background: #1f2a44; color: white; padding: 10px 18px; font-size: 24px; font-weight: bold;
             border-radius: 6px; }
.ts-header span { font-size: 16px; font-weight: normal; opacity: 0.8; margin-left: 14px; }
"""


def training_tab(device: str):
    try:
        from app.training_page import training_page   # built by the training lab; imported lazily
        return training_page(device=device)
    except Exception as exc:
        log.warning("training lab unavailable: %s", exc)
        return pn.pane.HTML(f"<p>The training lab is not available: {html.escape(str(exc))}</p>")


def dashboard(device: str = "cpu"):
    from app.graph_page import graph_page
    pn.extension()
    header = pn.pane.HTML("<div class='ts-header'>tapescope<span>autograd graphs and training, for teaching</span></div>",
                          stylesheets=[HEADER_CSS], sizing_mode="stretch_width")
    tabs = pn.Tabs(("Graph lab", graph_page()), ("Training lab", training_tab(device)),
                   dynamic=True, sizing_mode="stretch_width", stylesheets=[".bk-tab { font-size: 18px; }"])
    return pn.Column(header, tabs, sizing_mode="stretch_width")
