// Tests for RollSenseSignal land with its issue.
