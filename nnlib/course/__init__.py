"""Course machinery: exercise generation, notebook execution and self-study progress.

``python -m nnlib.course --help`` lists the commands.
"""
