"""The editors' screens, one module per screen; importing this package registers them."""

from . import comparison, reports, search_queries, taxonomy

__all__ = ["comparison", "reports", "search_queries", "taxonomy"]
