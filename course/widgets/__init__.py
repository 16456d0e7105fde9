"""Live figures for the lessons: controls on top, one matplotlib figure below.

Every builder returns a :class:`LiveFigure`. It keeps one figure, updates its
artists when a control moves, and shows the result as a PNG in an
``ipywidgets.Image`` (no Output widget, no ``clear_output``), which keeps a redraw
well under 100 ms at course sizes. ``timings`` holds the duration of every redraw,
so the benchmark can report what a learner waits for.

ipywidgets and matplotlib are imported here, never by ``import nnlib`` (which imports NumPy only).
"""
from __future__ import annotations

from ._live import DPI, LiveFigure, new_figure, slider
from .lesson00 import finite_difference_explorer, neuron_explorer
from .lesson01 import approximation_explorer, width_depth_explorer
from .lesson02 import activation_explorer, network_explorer
from .lesson03 import init_explorer, symmetry_explorer
from .lesson04 import ce_vs_squared_error, softmax_explorer
from .lesson05 import batch_size_explorer, momentum_explorer, optimizer_race
from .lesson06 import bagging_explorer, early_stopping_explorer, overfitting_explorer
from .lesson07 import dropout_explorer, mc_explorer, regularization_explorer
from .lesson08 import clipping_explorer, gradient_flow_explorer
from .lesson09 import PlaygroundApp, playground

__all__ = ["DPI", "LiveFigure", "new_figure", "slider", "finite_difference_explorer", "neuron_explorer",
           "approximation_explorer", "width_depth_explorer",
           "activation_explorer", "network_explorer", "init_explorer", "symmetry_explorer",
           "softmax_explorer", "ce_vs_squared_error",
           "optimizer_race", "batch_size_explorer", "momentum_explorer",
           "overfitting_explorer", "early_stopping_explorer", "bagging_explorer",
           "dropout_explorer", "regularization_explorer", "mc_explorer",
           "gradient_flow_explorer", "clipping_explorer", "playground", "PlaygroundApp"]
