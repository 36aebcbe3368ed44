"""The CartElectronic WES protocol: HTTP client, data-file parser, CGX generator and FTP upload.

Nothing in this package imports Home Assistant; it could be published on its own.
"""
