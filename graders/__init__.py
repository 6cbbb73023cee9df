"""Problem packages, checkers, verdicts, and the grading of one submission.

`graders` builds RunSpecs for `sandbox` and compares outputs outside it; it knows
nothing of HTTP or databases.
"""
