"""The LiveFigure machinery shared by every lesson's widgets.

Speed: drawing axes, ticks and labels is most of the cost of a matplotlib frame
(about 70 ms for two plain panels on the course machine). A LiveFigure therefore
draws the static parts once, keeps that background, and on each control change
redraws only the *animated* artists on top of it (blitting) before encoding the
PNG. ``draw`` returns True when something static changed (limits, a new function)
and the whole figure must be redrawn.
"""
from __future__ import annotations

import base64
import io
import time

import ipywidgets as W
import numpy as np

DPI = 72


class LiveFigure:
    """Controls + a figure redrawn by ``draw(**values)`` whenever a control changes.

    Parameters
    ----------
    fig : matplotlib Figure (from :func:`new_figure`).
    controls : dict name -> ipywidgets control; ``draw`` receives their values by name.
    draw : callable(**values) -> bool or None; returns True when the static background
        (axis limits, labels) changed and a full redraw is needed.
    animated : artists that change on every update (lines, texts, images).
    """

    def __init__(self, fig, controls, draw, animated=(), title=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        self.fig, self.controls, self.draw = fig, dict(controls), draw
        fig.set_dpi(DPI)
        self.canvas = FigureCanvasAgg(fig)
        self.animated = list(animated)
        for a in self.animated:
            a.set_animated(True)
        self._background = None
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%"))
        self.image.add_class("live-figure")
        self.timings: list[float] = []
        for c in self.controls.values():
            c.observe(self._on_change, names="value")
        rows = [W.HBox(list(self.controls.values())[i:i + 3]) for i in range(0, len(self.controls), 3)]
        header = [W.HTML(f"<b>{title}</b>")] if title else []
        self.box = W.VBox(header + rows + [self.image])
        self.update(full=True)

    @property
    def values(self):
        return {k: c.value for k, c in self.controls.items()}

    def _on_change(self, change):
        self.update()

    def update(self, full=False):
        """Redraw from the controls' current values and refresh the PNG."""
        t0 = time.perf_counter()
        full = bool(self.draw(**self.values)) or full or self._background is None
        if full:
            self.canvas.draw()  # everything except the animated artists
            if self._background is None:
                self.fig.set_layout_engine("none")  # freeze the layout found on the first draw
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for a in self.animated:
            self.fig.draw_artist(a)
        self.image.value = self.png()
        self.timings.append(time.perf_counter() - t0)

    def png(self):
        """The current frame as PNG bytes."""
        from PIL import Image
        rgba = np.asarray(self.canvas.buffer_rgba())
        buf = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def set(self, **values):
        """Move controls from code (as a learner would with the mouse)."""
        for k, v in values.items():
            self.controls[k].value = v

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The widget, plus its current frame as a plain PNG and a sentence as text.

        A front end shows the richest type it can: JupyterLab with the kernel running
        shows the widget; JupyterLab before the notebook is run (an untrusted notebook
        renders no widgets) and sites that render notebooks without a kernel show the
        PNG, so a reader sees the first frame instead of ``VBox(children=...)``.
        """
        bundle = self.box._repr_mimebundle_()
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = "Live figure (run the notebook to move its controls)"
        return bundle

    def __repr__(self):
        return f"LiveFigure({', '.join(f'{k}={v!r}' for k, v in self.values.items())})"


def new_figure(ncols=1, width=5.0, height=3.6, nrows=1):
    """A figure not managed by pyplot (so ``%matplotlib inline`` never shows it twice)."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols)
    return fig, axes


def slider(value, min, max, step, description, log=False, **kw):
    """A float slider with a readable label; ``log=True`` moves in powers of ten (min/max are exponents)."""
    cls = W.FloatLogSlider if log else W.FloatSlider
    args = dict(value=value, min=min, max=max, step=step, description=description,
                continuous_update=True, style={"description_width": "initial"},
                layout=W.Layout(width="300px"), **kw)
    if log:
        args["base"] = 10
        args.setdefault("readout_format", ".0e")
    return cls(**args)
