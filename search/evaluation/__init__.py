"""search/evaluation: what ``news-search eval`` and the benchmarks ask of an index beyond the public facade."""
