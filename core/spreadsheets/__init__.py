"""Spreadsheets, domain-free: reading (`reading`), writing (`writing`), checking (`checks`)."""
