"""HTML text that changes several times a second (run status, captions, tables)."""
import panel as pn
from bokeh.models import Div


class LiveText(pn.viewable.Viewer):
    """A plain Bokeh Div: setting `object` sends just the new text. (Panel's HTML pane
    re-sends every property of its model on each change, which makes Bokeh walk the whole
    document again: most of the server's time with twenty labs streaming.)"""

    def __init__(self, text="", name=None, **layout):
        super().__init__()
        self.div = Div(text=text, name=name, **layout)

    @property
    def object(self):
        return self.div.text

    @object.setter
    def object(self, text):
        if text != self.div.text:
            self.div.text = text

    def __panel__(self):
        return pn.pane.Bokeh(self.div, sizing_mode=self.div.sizing_mode)
