"""The GPU grader's judge-side parts (DESIGN section 6).

    oracles          float64 answers computed in the judge's own process
    reference_check  refuses outputs bit-identical to torch's own operator
    stats            the timing protocol's statistics (stopping rule, confidence
                     intervals, roofline and wall-clock decisions), pure Python
    device           GPU models, peak bandwidths, device info
    report           per-shape timing rows, the score, the review flags

Nothing here imports torch at module level: a judge without torch still grades
(the reference check then says it was skipped).
"""
