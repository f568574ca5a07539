"""Whole-page cache for anonymous readers, invalidated precisely by tags.

- A view that may be cached names what its page shows with `pagecache.tags.tag_page(request,
  *tags)`, e.g. "comparisons.comparison:12", "home". Views that name no tag are never cached.
- The middleware (pagecache.middleware) stores the rendered page in the default cache with a
  snapshot of the current version of each of its tags.
- `pagecache.tags.invalidate(*tags)` bumps those versions. A stored page whose snapshot no
  longer matches is a miss, so every page that shows a changed thing is dropped at once, on
  every app server sharing the cache, and no other page is. Bumps are recorded in the
  database with the change and replayed until the cache takes them (pagecache.recovery).
- A page never outlives the next scheduled change (`register_schedule_source`).

This package depends on no app of the project: apps use its tag API.
"""
