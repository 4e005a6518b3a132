"""Qt-free use cases: functions that take a Session and plain arguments, return plain data."""
