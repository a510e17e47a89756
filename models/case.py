"""The case: what the coder entered. Also the saved file (JSON) and the CLI input."""

# No `from __future__ import annotations` here: pydantic would compile and evaluate each
# annotation string when the models are built (start-up time); real annotations are free.

import json
import os
import re
import stat
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

SCHEMA_VERSION: Literal[1] = 1
MAX_CASE_BYTES = 5_000_000
"""A case is a few kB; anything this large is not a case file."""

# What one claim can hold (CMS-1500/837P, UB-04/837I): the bounds of the case's lists.
MAX_DIAGNOSES = 50
"""Twice what any claim form holds (837I: 25), so the form's own limit is a finding (dx-limit)
while a list no claim could be is refused."""
MAX_LINE_MODIFIERS = 4
MAX_EXTRA_LINES = 50
MAX_ACKNOWLEDGEMENTS = 200
MAX_ANSWERS = 64
LIST_LIMITS: dict[str, str] = {
    "diagnoses": f"a case holds at most {MAX_DIAGNOSES} diagnoses (no claim form holds more than "
    "25: the 837I the principal diagnosis and 24 others; CMS-1500: 12)",
    "modifiers": f"a claim line holds at most {MAX_LINE_MODIFIERS} modifiers",
    "extra_lines": f"a claim holds at most {MAX_EXTRA_LINES} service lines (837P); "
    "put further services on another claim",
    "acknowledged": f"a case holds at most {MAX_ACKNOWLEDGEMENTS} acknowledgements "
    "(one per finding)",
    "answers": f"a case holds at most {MAX_ANSWERS} answers",
    "codes": "an acknowledgement names at most 10 codes",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ClaimType = Literal["professional", "institutional"]
Setting = Literal["inpatient", "outpatient-hospital", "asc", "office"]
BilledBy = Literal["practitioner", "facility"]
NdcUnit = Literal["UN", "ML", "GR", "ME", "F2"]

CLAIM_TYPES: tuple[str, ...] = ("professional", "institutional")
SETTINGS: tuple[str, ...] = ("inpatient", "outpatient-hospital", "asc", "office")
BILLED_BY: tuple[str, ...] = ("practitioner", "facility")
NDC_UNITS: tuple[str, ...] = ("UN", "ML", "GR", "ME", "F2")

PlaceOfService = Annotated[str, Field(pattern=r"^[0-9]{2}$")]
"""Two digits, as on CMS-1500 item 24B (e.g. "21")."""
TypeOfBill = Annotated[str, Field(pattern=r"^0?[0-9]{3}$")]
"""Three or four digits, as on UB-04 form locator 4 (e.g. "0131"; the leading 0 is optional)."""
NdcText = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9][0-9 -]*$")]
"""An NDC as printed on the label (digits with hyphens) or in the 11-digit billing form."""

_CODE_TEXT = re.compile(r"^[A-Za-z0-9.]{1,16}$")
_MODIFIER_TEXT = re.compile(r"^[A-Za-z0-9]{2}$")


class CaseError(ValueError):
    """A case file cannot be used; the message names the field and the problem."""


class _Strict(BaseModel):
    """A case is evidence: no coercion (true is not 1, 1.0 is not 1, a number is not a date)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


def _iso_date(value: object) -> object:
    """A date is written as text YYYY-MM-DD (a date object passes, from Python callers)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date of the calendar") from None
    raise ValueError("a date is written as text: \"YYYY-MM-DD\"")


def _schema_version(value: object) -> object:
    if type(value) is not int or value != SCHEMA_VERSION:
        raise ValueError(f"must be the whole number {SCHEMA_VERSION} (this program's case format)")
    return value


def _answer_value(value: object) -> object:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int) and abs(value) <= 1_000_000:
        return value
    if isinstance(value, int):
        raise ValueError("an answer's number is at most 1,000,000")
    raise ValueError("an answer is true/false, a whole number, text or null")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
AnswerValue = Annotated[
    bool | int | Annotated[str, Field(max_length=500)] | None, BeforeValidator(_answer_value)
]


def normalize_diagnosis(code: str) -> str:
    """ICD-10-CM with or without the dot → upper case with the dot after 3 characters."""
    compact = code.strip().upper().replace(".", "")
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


def normalize_code(code: str) -> str:
    return code.strip().upper()


def _check_modifier(value: str) -> str:
    value = value.strip().upper()
    if not _MODIFIER_TEXT.match(value):
        raise ValueError(f"{value!r} is not a modifier (two letters or digits)")
    return value


Modifier = Annotated[str, AfterValidator(_check_modifier)]


class Patient(_Strict):
    age: Annotated[int, Field(ge=0, le=130)] | None = None
    account: Annotated[str, Field(max_length=64)] | None = None


class Drug(_Strict):
    """NDC details of the product line (837P/837I loop 2410; CMS-1500 24A shaded; UB-04 FL43)."""

    ndc: NdcText | None = None
    quantity: Annotated[float, Field(strict=True, gt=0, le=99_999_999)] | None = None
    unit: NdcUnit | None = None


class ExtraLine(_Strict):
    code: Annotated[str, Field(min_length=1, max_length=16)]
    modifiers: list[Modifier] = Field(default_factory=list, max_length=MAX_LINE_MODIFIERS)
    units: Annotated[int, Field(ge=1, le=999)] = 1
    revenue_code: Annotated[str, Field(pattern=r"^[0-9]{3,4}$")] | None = None
    """UB-04 FL42 revenue code of this line (institutional claims); checked against its kind."""
    ndc: NdcText | None = None
    """The NDC of a drug line."""
    date_of_service: IsoDate | None = None
    """The line's own date when it differs from the case's (an E/M the day before the
    operation, a post-operative visit): decides whether it falls in a global package."""
    minutes: Annotated[int, Field(ge=1, le=2000)] | None = None
    """Anesthesia time in minutes (CMS-1500 item 24G; 837P SV103 'MJ')."""

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not _CODE_TEXT.match(value):
            raise ValueError(f"{value!r} is not a procedure code")
        return normalize_code(value)


class Acknowledgement(_Strict):
    rule: Annotated[str, Field(min_length=1, max_length=64)]
    reason: Annotated[str, Field(max_length=2000)] = ""
    codes: Annotated[list[Annotated[str, Field(max_length=16)]], Field(max_length=10)] | None = None
    """Optional: acknowledge only the finding about these codes."""
    subject: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    """The subject of the one finding this answers (see models.coder.subjects); files written
    before subjects existed have none and are matched by rule and codes."""


class Case(_Strict):
    schema_version: Annotated[Literal[1], BeforeValidator(_schema_version)] = SCHEMA_VERSION
    family: Annotated[str, Field(min_length=1, max_length=64)]
    date_of_service: IsoDate | None = None
    payer: Annotated[str, Field(max_length=64)] | None = None
    claim_type: ClaimType | None = None
    setting: Setting | None = None
    billed_by: BilledBy | None = None
    """Whose claim: the practitioner's or the facility's (default: by the claim form)."""
    place_of_service: PlaceOfService | None = None
    """Professional form only; derived from the setting when absent."""
    type_of_bill: TypeOfBill | None = None
    """Institutional form only; derived from the setting when absent."""
    drug: Drug | None = None
    patient: Patient = Field(default_factory=Patient)
    answers: dict[str, AnswerValue] = Field(default_factory=dict, max_length=MAX_ANSWERS)
    diagnoses: list[Annotated[str, Field(min_length=1, max_length=10)]] = Field(
        default_factory=list, max_length=MAX_DIAGNOSES
    )
    modifiers: list[Modifier] = Field(default_factory=list, max_length=MAX_LINE_MODIFIERS)
    extra_lines: list[ExtraLine] = Field(default_factory=list, max_length=MAX_EXTRA_LINES)
    rendering_taxonomy: Annotated[str, Field(max_length=20)] | None = None
    acknowledged: list[Acknowledgement] = Field(
        default_factory=list, max_length=MAX_ACKNOWLEDGEMENTS
    )
    notes: Annotated[str, Field(max_length=200_000)] = ""

    @field_validator("diagnoses")
    @classmethod
    def _diagnoses(cls, values: list[str]) -> list[str]:
        return [normalize_diagnosis(v) for v in values]

    @field_validator("payer", "rendering_taxonomy")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("answers")
    @classmethod
    def _answer_keys(cls, values: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
        for key in values:
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", key):
                raise ValueError(f"{key!r} is not a question id")
        return values

    def canonical_json(self) -> str:
        """Stable text of the case: sorted keys, no insignificant white space."""
        data = self.model_dump(mode="json")
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def to_file_text(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


_PLAIN_TYPE_ERRORS = {
    "int_type": "must be a whole number (true/false and text are not numbers)",
    "float_type": "must be a number (true/false and text are not numbers)",
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "list_type": "must be a list [ … ]",
    "dict_type": "must be an object { … }",
    "model_type": "must be an object { … }",
}
MAX_REPORTED_PROBLEMS = 12


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, naming the field path: 'answers.approach: ...'."""
    lines = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "(case)"
        lines.append(f"{path}: {_problem(item)}")
    if len(lines) > MAX_REPORTED_PROBLEMS:
        more = len(lines) - MAX_REPORTED_PROBLEMS
        lines = [*lines[:MAX_REPORTED_PROBLEMS], f"… and {more} more problems"]
    return "\n".join(lines)


def _problem(item: Any) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "too_long" and str(item["loc"][-1]) in LIST_LIMITS:
        return f"too many entries: {LIST_LIMITS[str(item['loc'][-1])]}"
    if kind in _PLAIN_TYPE_ERRORS:
        return str(_PLAIN_TYPE_ERRORS[kind])
    return str(item["msg"]).removeprefix("Value error, ")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a case can hold")


def _json_data(text: str, origin: str) -> Any:
    """The JSON value of the text; every way it can be unusable is a CaseError."""
    if len(text) > MAX_CASE_BYTES:
        raise CaseError(f"{origin}: too large for a case file (more than {MAX_CASE_BYTES:,} bytes)")
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_no_constant
        )
    except json.JSONDecodeError as exc:
        raise CaseError(
            f"{origin}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except _DuplicateKey as exc:
        raise CaseError(
            f"{origin}: the field {exc.key[:64]!r} is given twice in one object; "
            "a case gives each field once"
        ) from None
    except RecursionError:
        raise CaseError(f"{origin}: nested too deeply to be a case file") from None
    except ValueError as exc:  # a number of thousands of digits, NaN, Infinity
        raise CaseError(f"{origin}: {_number_problem(exc)}") from None


def _number_problem(exc: ValueError) -> str:
    if "digits" in str(exc):
        return "a number in the JSON is thousands of digits long: not a value a case can hold"
    return f"not a usable number in the JSON ({str(exc)[:120]})"


def parse_case(text: str, origin: str = "case") -> Case:
    """Parse case JSON text strictly; raise CaseError with a readable message."""
    data = _json_data(text, origin)
    if not isinstance(data, dict):
        raise CaseError(f"{origin}: a case file holds one JSON object")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(f"{origin}:\n{describe_validation_error(exc)}") from None
    except RecursionError:
        raise CaseError(f"{origin}: nested too deeply to be a case file") from None


def read_case_bytes(path: Path) -> bytes:
    """The bytes of a case file: a regular file of at most MAX_CASE_BYTES, or a CaseError.

    Opened without blocking, so that a FIFO or a device is refused instead of read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise CaseError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CaseError(f"{path}: is a folder, not a case file") from None
    except OSError as exc:
        raise CaseError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        _refuse_unless_small_regular_file(path, os.fstat(fd))
    except CaseError:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(MAX_CASE_BYTES + 1)
        except OSError as exc:
            raise CaseError(f"{path}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_CASE_BYTES:
        raise CaseError(f"{path}: too large for a case file (more than {MAX_CASE_BYTES:,} bytes)")
    return raw


def _refuse_unless_small_regular_file(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise CaseError(f"{path}: is a folder, not a case file")
    if not stat.S_ISREG(info.st_mode):
        raise CaseError(f"{path}: not a regular file (a pipe or a device is not a case file)")
    if info.st_size > MAX_CASE_BYTES:
        raise CaseError(
            f"{path}: too large for a case file ({info.st_size:,} bytes; a case is a few kB, "
            f"at most {MAX_CASE_BYTES:,})"
        )


def read_case_text(path: Path) -> str:
    """The text of a case file (see :func:`read_case_bytes`), or a CaseError."""
    try:
        return read_case_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text") from None


def load_case(path: Path) -> Case:
    return parse_case(read_case_text(path), str(path))
