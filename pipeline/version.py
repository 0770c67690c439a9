"""maalspor's version (the package's, not the JSON schema's: `maalspor.models.SCHEMA_VERSION`)."""

__version__ = "0.1.0"
