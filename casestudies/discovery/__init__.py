"""Finding case studies: the list's filters, facet counts, full-text search, highlighting.

- `filters`: the filter set shared by the list, the CSV export, the coverage page and the API;
- `facets`: the in-memory facet index (bitsets of published case studies per option);
- `search`: full-text search; `search.engine(using)` is the one place that asks which
  database it is (PostgreSQL's full-text search, SQLite's FTS5 in `fulltext_sqlite`, or every
  word found elsewhere);
- `advice`: what an empty list suggests instead (the corrected words, filters to drop);
- `indexing`: keeps each case study's search document in step with what it names;
- `highlighting`: marks a search's words in summaries and excerpts;
- `cards`, `filterform`: the list's cards and filter form, rendered once per content version.
"""
