"""群规 as data: the condition language, its evaluation, dry runs and the to-do list."""
