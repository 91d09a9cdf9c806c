"""Kennisbank Zoeken indexer: catalogue + PDFs -> extraction -> Dutch analysis -> Whoosh index -> query service."""
