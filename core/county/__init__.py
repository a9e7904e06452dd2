"""The collecting side (县府办 or a 牵头单位): packages received (``incoming``), the task × office matrix
(``matrix``) and its spreadsheet (``xlsx``), the 汇总 report's content (``report``) and its rendering (``render``)."""
