"""Tables in and out: the sheet a 股室 fills in, reading its answers back, and the county's own template.

Everything here is Qt-free and storage-free: ``actions/sheets.py`` reads the data and applies what the clerk
chose.
"""
