"""Score exports: the datasets, their streamed queries and the file formats."""
