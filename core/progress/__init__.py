"""The progress exchange file: its format, validation and building (``file``), and what importing one would
change, worked out before anything is written (``merge``)."""
