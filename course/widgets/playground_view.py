"""The playground's picture: the network with a small image of every unit, the output over the plane
with the data, the loss curve and the gradient strip, drawn as one RGB image with Pillow.

Playground draws with SVG and canvases in the browser; here the kernel draws, so the picture must be
cheap: every unit's output comes from one batched pass over the grid (``Playground.unit_outputs``),
every thumbnail is a slice of that pass coloured through one lookup table, and the links, points and
text are Pillow primitives. A frame of the default network takes a few milliseconds.
"""

from __future__ import annotations

import io
import math
import os

import numpy as np

from ..computations.lesson09 import EXTENT, FEATURE_LABELS, FEATURES, MAX_LAYERS, MAX_UNITS

# Playground's colour scale: orange (-1) -> light grey (0) -> blue (+1).
_NEG, _MID, _POS = np.array([245, 147, 34]), np.array([232, 234, 235]), np.array([8, 119, 189])
_s = np.linspace(-1, 1, 256)[:, None]
LUT = np.where(_s < 0, _MID + (_NEG - _MID) * -_s, _MID + (_POS - _MID) * _s).round().astype(np.uint8)

THUMB = 26                 # px, one unit's image
ROW = 34                   # px between units of a column
COL = 74                   # px between columns
LEFT = 66                  # px for the feature labels
TOP = 44
HEAT = 264                 # px, the output heat map
HEAT_X = LEFT + COL * (MAX_LAYERS + 1) + 28
HEAT_Y = TOP
WIDTH = HEAT_X + HEAT + 16
STRIP_Y = TOP + ROW * len(FEATURES) + 48   # gradient strip below the tallest column (8 units)
HEIGHT = max(STRIP_Y + 44, HEAT_Y + HEAT + 172)
_THUMB_IDX = np.linspace(0, 99, THUMB).round().astype(int)


def _font(size, bold=False):
    from PIL import ImageFont
    import matplotlib
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name), size)


_FONTS = {}


def font(size, bold=False):
    key = (size, bold)
    if key not in _FONTS:
        _FONTS[key] = _font(size, bold)
    return _FONTS[key]


def colours(values):
    """RGB uint8 for values in [-1, 1] (clipped), through Playground's scale."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    return LUT[((np.clip(v, -1, 1) + 1) * 127.5).astype(np.intp)]


def _rgb(value):
    return tuple(int(c) for c in colours(value))


def column_x(c):
    """Left edge of column c (0: features, 1..6: hidden layers)."""
    return LEFT + COL * c


def unit_y(k):
    return TOP + ROW * k


class Layout:
    """Where each unit of a network of ``layers`` (hidden widths) with ``features`` (names) sits."""

    def __init__(self, features, layers):
        self.features, self.layers = tuple(features), tuple(layers)
        self.slots = [[FEATURES.index(f) for f in self.features]]       # features keep their rows
        self.slots += [list(range(n)) for n in self.layers]

    def centre_in(self, c, k):
        return column_x(c), unit_y(self.slots[c][k]) + THUMB // 2

    def centre_out(self, c, k):
        return column_x(c) + THUMB, unit_y(self.slots[c][k]) + THUMB // 2

    def output_point(self):
        return HEAT_X, HEAT_Y + HEAT // 2


def render(pg, view="output", frame_note=""):
    """The picture of Playground ``pg`` as a Pillow RGB image (``view``: "output" or "c:k", the unit
    shown large)."""
    from PIL import Image, ImageDraw
    cfg = pg.config
    img = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    d = ImageDraw.Draw(img)
    lay = Layout(cfg.features, cfg.layers)
    outs = pg.unit_outputs()                           # one pass: [features, hidden..., output]
    weights = pg.weights()
    n_cols = len(cfg.layers) + 1

    # header: epoch and column titles
    d.text((8, 6), f"Epoch {pg.epoch:06d}", fill=(40, 40, 40), font=font(15, True))
    d.text((150, 9), settings_line(cfg), fill=(90, 90, 90), font=font(11))
    if frame_note:
        d.text((HEAT_X, 9), frame_note, fill=(200, 40, 40), font=font(12, True))
    d.text((column_x(0) - 8, TOP - 16), "features", fill=(90, 90, 90), font=font(11))
    for c in range(1, n_cols):
        n = cfg.layers[c - 1]
        d.text((column_x(c) - 6, TOP - 16), f"{n} unit{'s' if n > 1 else ''}", fill=(90, 90, 90),
               font=font(11))

    # links, under the units: width by |w|, colour by sign and size (Playground's scales)
    for c, (W, _) in enumerate(weights):
        last = c == len(weights) - 1
        for i in range(W.shape[0]):
            x0, y0 = lay.centre_out(c, i)
            for j in range(W.shape[1]):
                x1, y1 = lay.output_point() if last else lay.centre_in(c + 1, j)
                w = float(W[i, j])
                if not math.isfinite(w):
                    w = 0.0
                width = 1 + int(round(min(abs(w), 5.0) / 5.0 * 7))
                d.line([(x0, y0), (x1, y1)], fill=_rgb(w), width=width)

    # thumbnails: every unit's output over the plane, from the one pass
    for c in range(n_cols):
        vals = outs[c]
        thumbs = vals.reshape(100, 100, -1)[_THUMB_IDX][:, _THUMB_IDX]
        if c == 0:
            thumbs = thumbs / np.maximum(np.abs(vals).max(axis=0), 1e-12)   # features scaled to [-1, 1]
        rgb = colours(thumbs)                                              # (T, T, width, 3)
        for k in range(vals.shape[1]):
            x, y = column_x(c), unit_y(lay.slots[c][k])
            img.paste(Image.fromarray(np.ascontiguousarray(rgb[:, :, k])), (x, y))
            outline = (30, 30, 30) if view == f"{c}:{k}" else (160, 160, 160)
            d.rectangle([x - 1, y - 1, x + THUMB, y + THUMB], outline=outline,
                        width=2 if outline[0] == 30 else 1)
            if c > 0:                                                      # the bias as a small square
                b = float(weights[c - 1][1][k])
                d.rectangle([x - 5, y + THUMB - 5, x + 1, y + THUMB + 1], fill=_rgb(b), outline=(90, 90, 90))
        if c > 0 and pg.mask is not None and c - 1 < len(pg.mask):        # units dropped in the last step
            for k, kept in enumerate(pg.mask[c - 1]):
                if not kept:
                    x, y = column_x(c), unit_y(lay.slots[c][k])
                    d.line([(x, y), (x + THUMB, y + THUMB)], fill=(60, 60, 60), width=2)
                    d.line([(x, y + THUMB), (x + THUMB, y)], fill=(60, 60, 60), width=2)
    for f in FEATURES:                                                     # feature names, used or not
        y = unit_y(FEATURES.index(f))
        used = f in cfg.features
        d.text((6, y + 6), FEATURE_LABELS[f], fill=(30, 30, 30) if used else (175, 175, 175), font=font(12))
        if not used:
            d.rectangle([column_x(0) - 1, y - 1, column_x(0) + THUMB, y + THUMB], outline=(215, 215, 215))

    _gradient_strip(d, pg, n_cols)
    _heat_map(img, d, pg, outs, view, lay)
    _loss_chart(d, pg)
    return img


def settings_line(cfg):
    """The training settings in one line, so that every control that does not redraw the network
    (learning rate, regularization) still changes the picture."""
    parts = [f"learning rate {cfg.lr:g}", cfg.optimizer, cfg.activation, cfg.loss.replace("_", "-"),
             f"init {cfg.init}", f"batch {cfg.batch_size}"]
    if cfg.regularization != "none":
        parts.append(f"{cfg.regularization} {cfg.reg_rate:g}")
    if cfg.dropout:
        parts.append(f"dropout {cfg.dropout:g}")
    if cfg.batchnorm:
        parts.append("batch norm")
    return " · ".join(parts)


def _gradient_strip(d, pg, n_cols):
    """||dL/dW|| of the last step for every weight matrix, as bars on a log scale (1e-6 .. 10)."""
    y = STRIP_Y
    d.text((6, y), "‖∂L/∂W‖", fill=(60, 60, 60), font=font(11))
    d.text((6, y + 14), "last step", fill=(120, 120, 120), font=font(10))
    lo, hi = -6.0, 1.0
    for c, g in enumerate(pg.grad_norms):
        x = column_x(c) + THUMB // 2 + COL // 2 - 14 if c < n_cols - 1 else HEAT_X - 34
        frac = 0.0 if not (g > 0 and math.isfinite(g)) else min(max((math.log10(g) - lo) / (hi - lo), 0), 1)
        d.rectangle([x, y + 2, x + 28, y + 12], outline=(170, 170, 170))
        d.rectangle([x, y + 2, x + int(round(28 * frac)), y + 12], fill=(90, 90, 150))
        label = "–" if pg.epoch == 0 else (f"{g:.0e}" if math.isfinite(g) else "nan")
        d.text((x, y + 16), label, fill=(60, 60, 60), font=font(10))


def _heat_map(img, d, pg, outs, view, lay):
    from PIL import Image
    cfg = pg.config
    if view == "output":
        vals, title = outs[-1][:, 0], "output"
    else:
        c, k = (int(s) for s in view.split(":"))
        vals = outs[c][:, k]
        if c == 0:
            vals = vals / max(float(np.abs(vals).max()), 1e-12)
            title = f"feature {FEATURE_LABELS[cfg.features[k]]}"
        else:
            title = f"layer {c}, unit {k + 1}"
    if cfg.discretize:
        vals = np.where(vals >= 0, 1.0, -1.0)
    heat = Image.fromarray(colours(vals.reshape(100, 100)))
    img.paste(heat.resize((HEAT, HEAT), Image.BILINEAR), (HEAT_X, HEAT_Y))
    d.text((HEAT_X, HEAT_Y - 17), title, fill=(40, 40, 40), font=font(12, True))

    def px(P):
        return (HEAT_X + (P[:, 0] + EXTENT) / (2 * EXTENT) * HEAT,
                HEAT_Y + (EXTENT - P[:, 1]) / (2 * EXTENT) * HEAT)

    sets = [(pg.P_train, pg.t_train, (255, 255, 255))]
    if cfg.show_test:
        sets.append((pg.P_test, pg.t_test, (0, 0, 0)))
    for P, t, edge in sets:
        xs, ys = px(P)
        inside = (xs >= HEAT_X) & (xs < HEAT_X + HEAT) & (ys >= HEAT_Y) & (ys < HEAT_Y + HEAT)
        cols = colours(t)
        for x, y, col in zip(xs[inside], ys[inside], cols[inside]):
            d.ellipse([x - 3, y - 3, x + 3, y + 3], fill=tuple(int(v) for v in col), outline=edge)
    d.rectangle([HEAT_X - 1, HEAT_Y - 1, HEAT_X + HEAT, HEAT_Y + HEAT], outline=(120, 120, 120))
    for v in (-6, 0, 6):                                    # axes: x1 below, x2 at the left
        x = HEAT_X + (v + EXTENT) / (2 * EXTENT) * HEAT
        d.text((min(x - 4, HEAT_X + HEAT - 12), HEAT_Y + HEAT + 2), str(v), fill=(90, 90, 90), font=font(10))
    d.text((HEAT_X + HEAT // 2 + 10, HEAT_Y + HEAT + 2), "x₁", fill=(90, 90, 90), font=font(10))
    for v in (6, 0, -6):
        y = HEAT_Y + (EXTENT - v) / (2 * EXTENT) * HEAT
        d.text((HEAT_X - 16, min(max(y - 6, HEAT_Y), HEAT_Y + HEAT - 12)), str(v), fill=(90, 90, 90),
               font=font(10))
    if pg.diverged:
        d.rectangle([HEAT_X + 8, HEAT_Y + HEAT // 2 - 14, HEAT_X + HEAT - 8, HEAT_Y + HEAT // 2 + 14],
                    fill=(255, 255, 255), outline=(200, 40, 40))
        d.text((HEAT_X + 14, HEAT_Y + HEAT // 2 - 8), "diverged: lower the learning rate", fill=(200, 40, 40),
               font=font(12, True))


def _loss_chart(d, pg):
    """Train (grey) and test (black) loss per epoch; validation dashed blue and the best epoch when
    early stopping; numbers above."""
    h = pg.history
    x0, y0, w, hgt = HEAT_X, HEAT_Y + HEAT + 58, HEAT, 80
    acc = ""
    if pg.config.problem == "classification":
        acc = f"   accuracy {h['test_acc'][-1]:.3f}"
    d.text((x0, HEAT_Y + HEAT + 18), f"test loss {_num(h['test'][-1])}{acc}", fill=(0, 0, 0), font=font(12))
    d.text((x0, HEAT_Y + HEAT + 34), f"training loss {_num(h['train'][-1])}", fill=(110, 110, 110),
           font=font(12))
    d.rectangle([x0, y0, x0 + w, y0 + hgt], outline=(200, 200, 200))
    series = [(h["train"], (119, 119, 119)), (h["test"], (0, 0, 0))]
    if h["val"]:
        series.append((h["val"], (60, 110, 200)))
    finite = [v for s, _ in series for v in s if math.isfinite(v)]
    top = max(finite) if finite else 1.0
    top = top if top > 0 else 1.0
    n = max(len(h["train"]) - 1, 1)
    for s, col in series:
        pts = [(x0 + w * i / n, y0 + hgt - hgt * min(v / top, 1.0))
               for i, v in enumerate(s) if math.isfinite(v)]
        if len(pts) > 1:
            d.line(pts, fill=col, width=2)
    if pg.best_epoch is not None and h["val"]:
        xb = x0 + w * pg.best_epoch / n
        d.line([(xb, y0), (xb, y0 + hgt)], fill=(40, 160, 80), width=2)
        label = f"best epoch {pg.best_epoch}" + (" (stopped, weights restored)" if pg.stopped else "")
        d.text((x0, y0 + hgt + 14), label, fill=(40, 130, 60), font=font(11))
    d.text((x0 + w - 40, y0 + 2), f"{top:.3g}", fill=(150, 150, 150), font=font(9))
    d.text((x0, y0 + hgt + 2), "epoch 0", fill=(150, 150, 150), font=font(9))
    d.text((x0 + w - 30, y0 + hgt + 2), f"{len(h['train']) - 1}", fill=(150, 150, 150), font=font(9))


def _num(v):
    return f"{v:.3f}" if math.isfinite(v) else "nan"


def show(pg, view="output"):
    """The picture as an IPython image (a notebook shows it as a PNG)."""
    from IPython.display import Image
    return Image(data=png(render(pg, view)), format="png")


def png(img):
    buf = io.BytesIO()
    img.save(buf, format="png", compress_level=1)
    return buf.getvalue()


__all__ = ["render", "png", "colours", "Layout", "MAX_UNITS"]
