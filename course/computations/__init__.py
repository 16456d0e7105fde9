"""The computations whose numbers the lessons quote, on nnlib's public API (NumPy only, no widgets).

One module per lesson. The live figures in ``course.widgets`` draw what these compute, and the
lessons call them directly where they print a number, so a figure and a table never disagree.
"""
