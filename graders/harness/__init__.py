"""Files copied into the sandbox next to learner code (never imported by the judge)."""
