"""Printable reports. Import `reports.pdf` for the worksheet PDF; reportlab loads on use."""
