"""The one version string: 关于, the package manifest, the licence list and pyproject.toml (a test keeps them
equal). The frozen build reads it from here, not from pyproject.toml."""

VERSION: str = "0.2.0"
