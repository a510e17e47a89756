from __future__ import annotations

from pathlib import Path

import pytest

from models.official.build import Loaded, build_with
from models.reference import Reference, open_reference

FILES = Path(__file__).parent / "files"
PTP_PRACTITIONER = FILES / "ccipra-v323r0-f1.txt"
PTP_OUTPATIENT = FILES / "ccioph-v323r0-f1.txt"
MUE_PRACTITIONER = FILES / "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv"
MUE_OUTPATIENT = FILES / "MCR_MUE_OutpatientHospitalServices_Eff_10-01-2026.csv"
HCPCS = FILES / "HCPC2026_OCT_ANWEB.txt"
ICD_2027 = FILES / "icd10cm_tabular_2027.xml"
NUCC = FILES / "nucc_taxonomy_260.csv"

ALL = (
    ("ncci-ptp", PTP_PRACTITIONER),
    ("ncci-ptp", PTP_OUTPATIENT),
    ("ncci-mue", MUE_PRACTITIONER),
    ("ncci-mue", MUE_OUTPATIENT),
    ("hcpcs", HCPCS),
    ("icd10cm", ICD_2027),
    ("nucc", NUCC),
)


@pytest.fixture(scope="session")
def shipped() -> Reference:
    return open_reference()


@pytest.fixture(scope="session")
def loaded(shipped: Reference, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The shipped reference with every test file of tests/models/official/files loaded."""
    out = tmp_path_factory.mktemp("loaded") / "reference.sqlite"
    build_with(shipped.path, out, [Loaded.read(kind, path) for kind, path in ALL])
    return Reference(out)
