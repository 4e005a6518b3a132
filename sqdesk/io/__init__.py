"""File formats in and out: safe table reading, roster import/export, activity import."""
