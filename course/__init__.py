"""Course machinery: exercise generation, notebook execution and self-study progress.

``python -m course --help`` lists the commands.
"""
