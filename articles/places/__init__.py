"""Places: the gazetteer of Pinghu, the places each article names, and staff curation (docs/places.md)."""
