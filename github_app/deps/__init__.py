"""Dependency review's pure parts: manifests, registry answers, look-alike names, the checks."""
