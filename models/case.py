"""The case: what the coder entered. Also the saved file (JSON) and the CLI input."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

SCHEMA_VERSION: Literal[1] = 1

AnswerValue = bool | int | str | None
ClaimType = Literal["professional", "institutional"]
Setting = Literal["inpatient", "outpatient-hospital", "asc", "office"]

CLAIM_TYPES: tuple[str, ...] = ("professional", "institutional")
SETTINGS: tuple[str, ...] = ("inpatient", "outpatient-hospital", "asc", "office")

_CODE_TEXT = re.compile(r"^[A-Za-z0-9.]{1,16}$")
_MODIFIER_TEXT = re.compile(r"^[A-Za-z0-9]{2}$")


class CaseError(ValueError):
    """A case file cannot be used; the message names the field and the problem."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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


class ExtraLine(_Strict):
    code: Annotated[str, Field(min_length=1, max_length=16)]
    modifiers: list[Modifier] = Field(default_factory=list)
    units: Annotated[int, Field(ge=1, le=999)] = 1

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not _CODE_TEXT.match(value):
            raise ValueError(f"{value!r} is not a procedure code")
        return normalize_code(value)


class Acknowledgement(_Strict):
    rule: Annotated[str, Field(min_length=1, max_length=64)]
    reason: Annotated[str, Field(max_length=2000)] = ""
    codes: list[str] | None = None
    """Optional: acknowledge only the finding about these codes."""
    subject: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    """The subject of the one finding this answers (see models.coder.subjects); files written
    before subjects existed have none and are matched by rule and codes."""


class Case(_Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    family: Annotated[str, Field(min_length=1, max_length=64)]
    date_of_service: date | None = None
    payer: Annotated[str, Field(max_length=64)] | None = None
    claim_type: ClaimType | None = None
    setting: Setting | None = None
    patient: Patient = Field(default_factory=Patient)
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    diagnoses: list[Annotated[str, Field(min_length=1, max_length=10)]] = Field(
        default_factory=list
    )
    modifiers: list[Modifier] = Field(default_factory=list)
    extra_lines: list[ExtraLine] = Field(default_factory=list)
    rendering_taxonomy: Annotated[str, Field(max_length=20)] | None = None
    acknowledged: list[Acknowledgement] = Field(default_factory=list)
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


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, naming the field path: 'answers.approach: ...'."""
    lines = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "(case)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        elif item["type"] == "missing":
            message = "required field is missing"
        lines.append(f"{path}: {message}")
    return "\n".join(lines)


def parse_case(text: str, origin: str = "case") -> Case:
    """Parse case JSON text; raise CaseError with a readable message."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseError(
            f"{origin}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise CaseError(f"{origin}: a case file holds one JSON object")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(f"{origin}:\n{describe_validation_error(exc)}") from None


def load_case(path: Path) -> Case:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CaseError(f"{path}: is a folder, not a case file") from None
    except OSError as exc:
        raise CaseError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text") from None
    return parse_case(text, str(path))
