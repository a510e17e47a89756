"""Subcommands that use the coder and the report: check, render, rules, explain, open."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the subcommands (filled in as the coder and the report land)."""
