"""The nine business questions, one asset each."""
