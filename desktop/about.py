"""What the About dialog says: versions, loaded releases, where the user's data lives, and
the licences of the bundled data. Plain text built without Qt (tested as text)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.reference import Reference

# Additions kinds grouped under the code sets a coder knows (kinds are the loaders' names).
RELEASE_GROUPS = (
    ("ICD-10-CM", ("icd",)),
    ("NCCI", ("ncci", "ptp", "mue")),
    ("HCPCS", ("hcpcs",)),
    ("NUCC taxonomy", ("nucc",)),
)

LICENCES = (
    "CPT descriptors shipped with the program are written in the project's own words (CPT is "
    "a registered trademark of the American Medical Association); a site with an AMA licence "
    "loads its own licensed descriptors, which stay on that site's machines.",
    "HCPCS Level II, ICD-10-CM, the NUCC provider taxonomy and the CMS NCCI edits are public "
    "data published by CMS, the CDC and NUCC.",
)


def program_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cell-therapy-worksheet")
    except PackageNotFoundError:
        return "unknown"


def loaded_releases(reference: Reference) -> list[tuple[str, str]]:
    """(code set, what is loaded) for each code set the About dialog names."""
    try:
        additions = json.loads(reference.meta.additions or "[]")
    except ValueError:
        additions = []
    lines = []
    for label, prefixes in RELEASE_GROUPS:
        found = [a for a in additions if str(a.get("kind", "")).startswith(prefixes)]
        text = "; ".join(_describe(a) for a in found) or "none loaded"
        if label == "ICD-10-CM":
            text = f"{reference.meta.icd10cm_release} (shipped); loaded: {text}"
        lines.append((label, text))
    return lines


def _describe(addition: dict[str, object]) -> str:
    parts = [str(addition.get(k) or "") for k in ("kind", "set", "release")]
    effective = addition.get("effective")
    if effective:
        parts.append(f"from {effective}")
    return " ".join(p for p in parts if p)


def about_text(reference: Reference | None) -> str:
    from models.lifecycle import loaded_additions
    from models.paths import user_data_dir

    lines = [f"Version {program_version()}"]
    if reference is None:
        lines.append("Reference: not loaded")
    else:
        meta = reference.meta
        lines += [
            f"Reference {meta.reference_version} (data {meta.data_version})",
            f"Reference file: {reference.path}",
        ]
        lines += [f"{label}: {text}" for label, text in loaded_releases(reference)]
        cpt = meta.licensed_cpt_descriptors
        wording = f"a licensed file ({cpt} codes)" if cpt else "the project's own words"
        lines.append(f"CPT descriptors: {wording}")
    additions = loaded_additions(reference.path if reference else None)
    lines += [
        f"Your data (autosave, settings, loaded files): {user_data_dir()}",
        f"Files loaded: {len(additions)}",
        "",
        *LICENCES,
    ]
    return "\n".join(lines)
