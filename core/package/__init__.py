"""The submission package (报送材料): writing one for the county (``write``) and reading one there, trusting
nothing in it (``read``)."""
