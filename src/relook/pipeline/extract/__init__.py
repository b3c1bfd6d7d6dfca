"""Finding identifiers and names in free text (notes, summaries, missing-episode records)."""
