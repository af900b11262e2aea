"""HTML text that changes several times a second (run status, captions, tables)."""
import html

import panel as pn
from panel.models import HTML


class LiveText(pn.viewable.Viewer):
    """Panel's own HTML model, set directly: a change sends just the new text. (The HTML
    pane re-sends every property of its model on each change, which makes Bokeh walk the
    whole document again: most of the server's time with twenty labs streaming. A plain
    Bokeh Div would instead make the browser lay the page out again on every change.)"""

    def __init__(self, text="", name=None, **layout):
        super().__init__()
        self._text = text
        self.model = HTML(text=html.escape(text), name=name, **layout)

    @property
    def object(self):
        return self._text

    @object.setter
    def object(self, text):
        if text != self._text:
            self._text = text
            with pn.io.hold():     # so that a widget's callback may set it too
                self.model.text = html.escape(text)

    def __panel__(self):
        return pn.pane.Bokeh(self.model, sizing_mode=self.model.sizing_mode)
