"""View models of the HTML pages: plain data and strings for the templates, computed and tested apart
from any HTTP or template machinery (form state and URLs, safe links, highlighted snippets, copy
diffs, timeline geometry, facets, pagination, provenance)."""
