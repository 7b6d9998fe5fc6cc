// Tests for RollSenseDevice land with its issue.
