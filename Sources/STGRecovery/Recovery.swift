// Masks, baselines and metrics for recovery.
