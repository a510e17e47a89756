"""The embedded SQLite reference: build, open (read-only) and typed questions.

This is the only module of the program that holds SQL. Everything else asks
a :class:`Reference` typed questions and gets the pydantic rows of
:mod:`models.refdata` back.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib.util
import io
import os
import re
import sqlite3
import tempfile
import threading
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from models import refdata as rd
from models.paths import default_reference_path, reference_sources_dir

SCHEMA_VERSION = 5  # 5: search without stemming (every prefix matches)
ICD_PACKAGE = "simple-icd-10-cm"

RowT = TypeVar("RowT", bound=BaseModel)


class ReferenceUnavailable(Exception):
    """The reference database cannot be used; the message names the file and what to do."""


class SourceDataError(ValueError):
    """A reference source file has a bad row; the message names file and line."""


@dataclass(frozen=True)
class SourceTable:
    name: str
    file: str
    model: type[rd.Row]
    pk: tuple[str, ...] | None = None


SOURCE_TABLES: tuple[SourceTable, ...] = (
    SourceTable("families", "families.csv", rd.FamilyRow, ("family",)),
    SourceTable("questions", "questions.csv", rd.QuestionRow, ("family", "question")),
    SourceTable("derivations", "derivations.csv", rd.DerivationRow, ("family", "order")),
    SourceTable("auto_modifiers", "auto_modifiers.csv", rd.AutoModifierRow),
    SourceTable("codes", "codes.csv", rd.CodeRow, ("code",)),
    SourceTable("modifiers", "modifiers.csv", rd.ModifierRow, ("modifier",)),
    SourceTable("modifier_conflicts", "modifier_conflicts.csv", rd.ModifierConflictRow),
    SourceTable("modifier_exclusions", "modifier_exclusions.csv", rd.ModifierExclusionRow),
    SourceTable("code_sets", "code_sets.csv", rd.CodeSetRow, ("code_set",)),
    SourceTable("payers", "payers.csv", rd.PayerRow, ("payer",)),
    SourceTable("payer_policies", "payer_policies.csv", rd.PayerPolicyRow),
    SourceTable("prior_auth", "prior_auth.csv", rd.PriorAuthRow),
    SourceTable("coverage_criteria", "coverage_criteria.csv", rd.CriterionRow),
    SourceTable("policy_findings", "policy_findings.csv", rd.PolicyFindingRow),
    SourceTable("code_conditions", "code_conditions.csv", rd.CodeConditionRow),
    SourceTable("edits", "edits.csv", rd.EditRow, ("column1", "column2")),
    SourceTable("dx_groups", "dx_groups.csv", rd.DxGroupRow),
    SourceTable("dx_effective", "dx_effective.csv", rd.DxEffectiveRow),
    SourceTable("dx_pairs", "dx_pairs.csv", rd.DxPairRow),
    SourceTable("dx_laterality", "dx_laterality.csv", rd.DxLateralityRow),
    SourceTable("required_modifiers", "required_modifiers.csv", rd.RequiredModifierRow),
    SourceTable("addon_parents", "addon_parents.csv", rd.AddonParentRow, ("addon",)),
    SourceTable("taxonomy_expected", "taxonomy_expected.csv", rd.TaxonomyExpectedRow),
    SourceTable("cautions", "cautions.csv", rd.CautionRow),
    SourceTable("taxonomy", "nucc_taxonomy.csv", rd.TaxonomyRow, ("code",)),
    SourceTable(
        "places_of_service", "places_of_service.csv", rd.PlaceOfServiceRow, ("place_of_service",)
    ),
    SourceTable("claim_settings", "claim_settings.csv", rd.ClaimSettingRow),
    SourceTable("code_classes", "code_classes.csv", rd.CodeClassRow),
    SourceTable("fee_schedule", "fee_schedule.csv", rd.FeeScheduleRow, ("code",)),
    SourceTable("payment_status", "payment_status.csv", rd.PaymentStatusRow),
    SourceTable("payment_meanings", "payment_meanings.csv", rd.PaymentMeaningRow),
    SourceTable("anesthesia_crosswalk", "anesthesia_crosswalk.csv", rd.AnesthesiaCrosswalkRow),
    SourceTable("provider_roles", "provider_roles.csv", rd.ProviderRoleRow, ("taxonomy",)),
    SourceTable("anesthesia_time", "anesthesia_time.csv", rd.AnesthesiaTimeRow, ("payer",)),
    SourceTable("code_predecessors", "code_predecessors.csv", rd.CodePredecessorRow),
    SourceTable("revenue_codes", "revenue_codes.csv", rd.RevenueCodeRow, ("revenue_code",)),
    SourceTable("ndc_required", "ndc_required.csv", rd.NdcRequiredRow, ("code",)),
    SourceTable("claim_codes", "claim_codes.csv", rd.ClaimCodeRow),
    SourceTable("pcs_codes", "pcs_codes.csv", rd.PcsCodeRow, ("family", "order")),
    SourceTable("ncci_modifiers", "ncci_modifiers.csv", rd.NcciModifierRow, ("modifier",)),
    SourceTable("ncci_settings", "ncci_settings.csv", rd.NcciSettingRow),
)
TABLES_BY_MODEL: dict[type[rd.Row], SourceTable] = {t.model: t for t in SOURCE_TABLES}
OFFICIAL_TABLES = ("icd10cm_dated", "icd_excludes1_dated", "ncci_ptp", "ncci_mue", "hcpcs_codes")
"""Tables a load of official files adds (models/official)."""


# --------------------------------------------------------------------------- sources


def read_source_rows(directory: Path, table: SourceTable) -> list[rd.Row]:
    path = directory / table.file
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceDataError(f"{path}: cannot read ({exc.strerror})") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise SourceDataError(f"{path}: empty file")
    rows: list[rd.Row] = []
    for line_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise SourceDataError(
                f"{path}:{line_number}: {len(values)} fields, the header has {len(header)}"
            )
        data: dict[str, str | bool] = {
            k: v.strip() for k, v in zip(header, values, strict=True) if v.strip()
        }
        if "verify" in data:
            data["verify"] = str(data["verify"]).lower() in ("yes", "true", "1")
        try:
            rows.append(table.model.model_validate(data))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise SourceDataError(f"{path}:{line_number}: {problems}") from None
    return rows


def source_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in (".csv", ".md"))


def icd_release_name() -> str:
    """The release of the tabular list the ICD-10-CM package ships, from its data file name
    (found without importing the package, which parses the whole list on import)."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        for entry in sorted((Path(location) / "data").glob("icd10c-tabular-*.xml")):
            return entry.stem.removeprefix("icd10c-tabular-").replace("-", " ")
    return f"{ICD_PACKAGE} {package_version(ICD_PACKAGE)}"


def package_version(name: str) -> str:
    """An installed package's version, from its dist-info folder's name when it is beside the
    package (importlib.metadata costs tens of milliseconds to import at every start)."""
    module = name.replace("-", "_")
    spec = importlib.util.find_spec(module)
    for location in list(spec.submodule_search_locations or []) if spec else []:
        folders = sorted(Path(location).parent.glob(f"{module}-*.dist-info"))
        if len(folders) == 1:
            return folders[0].name.removeprefix(f"{module}-").removesuffix(".dist-info")
    from importlib import metadata

    return metadata.version(name)


def sources_hash(directory: Path) -> str:
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    digest.update(f"{ICD_PACKAGE} {package_version(ICD_PACKAGE)}\n".encode())
    for path in source_files(directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_licensed_descriptors(path: Path) -> dict[str, str]:
    """A site's licensed CPT descriptor file: CSV with columns code,descriptor."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceDataError(f"{path}: cannot read the CPT descriptor file ({exc})") from None
    reader = csv.reader(io.StringIO(text))
    descriptors: dict[str, str] = {}
    for line_number, values in enumerate(reader, start=1):
        if not values or not "".join(values).strip():
            continue
        if line_number == 1 and values[0].strip().lower() == "code":
            continue
        if len(values) < 2 or not re.fullmatch(r"[0-9]{4}[0-9A-Z]", values[0].strip().upper()):
            raise SourceDataError(
                f"{path}:{line_number}: expected 'code,descriptor' with a five-character CPT code"
            )
        descriptors[values[0].strip().upper()] = values[1].strip()
    return descriptors


# --------------------------------------------------------------------------- build


_ICD_PART = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?"
_EXCLUDES_TOKEN = re.compile(rf"({_ICD_PART})\.?-?(?:-({_ICD_PART})\.?-?)?")


def excludes1_ranges(note: str) -> list[tuple[str, str]]:
    """The codes an Excludes1 note names, as (first, last) compact prefixes:
    '(E08.649, E10.649)', '(A05.-)', '(C51-C52, C60.-)', '(M30-M36)'."""
    ranges = []
    for group in re.findall(r"\(([^()]*)\)", note):
        for token in group.split(","):
            match = _EXCLUDES_TOKEN.fullmatch(token.strip())
            if match:
                first, last = match.group(1), match.group(2) or match.group(1)
                ranges.append((_compact(first), _compact(last)))
    return ranges


def _compact(code: str) -> str:
    return code.replace(".", "").replace("-", "").upper()


def _icd_module() -> Any:
    """simple-icd-10-cm parses the whole tabular list on import: build time only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as cm
    return cm


def _icd_rows() -> Iterator[dict[str, Any]]:
    cm = _icd_module()

    for code in cm.get_all_codes(True):
        if cm.is_chapter_or_block(code):
            continue
        yield {
            "code": code,
            "compact": _compact(code),
            "description": cm.get_description(code),
            "billable": 1 if cm.is_leaf(code) else 0,
        }


def _excludes1_rows() -> Iterator[dict[str, Any]]:
    cm = _icd_module()

    for item in cm.get_all_codes(True):
        if cm.is_chapter(item):
            continue
        for note in cm.get_excludes1(item):
            for first, last in excludes1_ranges(note):
                yield {"item": item, "first": first, "last": last, "note": note}


def build(out: Path | None = None, sources: Path | None = None) -> Path:
    """Build the reference from its sources to a temporary file beside ``out``, then rename
    it into place. Additions (a licensed CPT file, official files) are applied by
    :mod:`models.lifecycle` on a copy of this build."""
    import sqlite_utils  # build time only

    out = out or default_reference_path()
    sources = sources or reference_sources_dir()
    tables = {t.name: read_source_rows(sources, t) for t in SOURCE_TABLES}
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "data_version": _meta_value(sources, "data_version"),
        "icd10cm_release": icd_release_name(),
        "source_hash": sources_hash(sources),
        "licensed_cpt_descriptors": "0",
    }
    tmp = _temporary_beside(out)
    try:
        db = sqlite_utils.Database(tmp, recreate=True)
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.conn.execute("PRAGMA synchronous = OFF")
        for table in SOURCE_TABLES:
            rows = [_row_for_db(r, table) for r in tables[table.name]]
            db[table.name].insert_all(rows, pk=table.pk)  # type: ignore[union-attr]
        db["icd10cm"].insert_all(_icd_rows(), pk="code", batch_size=5000)  # type: ignore[union-attr]
        db["icd10cm"].create_index(["compact"])  # type: ignore[union-attr]
        db["icd_excludes1"].insert_all(_excludes1_rows(), batch_size=5000)  # type: ignore[union-attr]
        db["icd_excludes1"].create_index(["item"])  # type: ignore[union-attr]
        db["meta"].insert_all(({"key": k, "value": v} for k, v in meta.items()), pk="key")  # type: ignore[union-attr]
        _build_code_set_codes(db.conn)
        _build_search(db.conn)
        _seal(db.conn)
        db.conn.commit()
        db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.conn.execute("VACUUM")
        db.conn.close()
        os.replace(tmp, out)
    except OSError as exc:
        raise ReferenceUnavailable(
            f"cannot write the reference database at {out} ({exc.strerror})"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out


def _meta_value(sources: Path, key: str) -> str:
    with (sources / "meta.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["key"] == key:
                return row["value"]
    raise SourceDataError(f"{sources / 'meta.csv'}: no {key!r}")


def _row_for_db(row: rd.Row, table: SourceTable) -> dict[str, Any]:
    data = row.model_dump(mode="json")
    if table.model is rd.CodeRow:
        data["descriptor_origin"] = "project"
    return data


def _build_code_set_codes(conn: sqlite3.Connection) -> None:
    """The codes of the loaded code sets (a site's licensed CPT file ...), each with the dates
    it exists. A code system (CPT) with rows here is complete: a code of it missing on a date
    does not exist then. The appliers of additions fill it."""
    conn.execute(
        "CREATE TABLE code_set_codes (code TEXT NOT NULL, code_system TEXT NOT NULL, "
        "code_set TEXT NOT NULL, effective_from TEXT, effective_to TEXT)"
    )
    conn.execute("CREATE INDEX code_set_codes_code ON code_set_codes (code)")


def record_code_set(
    conn: sqlite3.Connection,
    code_system: str,
    code_set: str,
    codes: Iterable[tuple[str, str | None, str | None]],
) -> None:
    """Record a loaded code set: (code, effective from, effective to) with ISO dates or None.
    Once a system ('CPT', 'HCPCS') has rows, a code of that system missing on a date of
    service is unknown-code (see Reference.code_on_file)."""
    conn.executemany(
        "INSERT INTO code_set_codes VALUES (?, ?, ?, ?, ?)",
        ((code, code_system, code_set, start, end) for code, start, end in codes),
    )


def code_system_of(code: str) -> str:
    """HCPCS Level II codes start with a letter; CPT codes with a digit."""
    return "HCPCS" if code[:1].isalpha() else "CPT"


def _temporary_beside(out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise ReferenceUnavailable(
            f"cannot write the reference database at {out} ({exc.strerror}): choose a writable "
            "path with --reference or the WORKSHEET_REFERENCE environment variable"
        ) from None
    os.close(fd)
    return Path(tmp_name)


def derive(
    out: Path,
    base: Path,
    apply: Callable[[sqlite3.Connection], None],
    meta: dict[str, str],
) -> Path:
    """Write ``out`` as a copy of the built reference ``base`` changed by ``apply`` (the
    additions), with ``meta`` added: to a temporary file, renamed into place when complete."""
    import shutil

    tmp = _temporary_beside(out)
    try:
        shutil.copyfile(base, tmp)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            apply(conn)
            _refresh_search(conn)
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(meta.items())
            )
            _seal(conn)
            conn.commit()
        finally:
            conn.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        raise ReferenceUnavailable(
            f"cannot write the reference database at {out} ({exc.strerror})"
        ) from None
    except sqlite3.DatabaseError as exc:
        raise ReferenceUnavailable(f"cannot build the reference database {out}: {exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out


def set_licensed_descriptors(conn: sqlite3.Connection, descriptors: dict[str, str]) -> int:
    """A site's licensed CPT descriptors replace the project's own words; returns how many
    codes of the reference got one."""
    changed = 0
    for code, descriptor in descriptors.items():
        changed += conn.execute(
            "UPDATE codes SET descriptor = ?, descriptor_origin = 'licensed CPT file' "
            "WHERE code = ? AND system IN ('CPT-I', 'CPT-III')",
            (descriptor, code),
        ).rowcount
    record_code_set(conn, "CPT", "licensed CPT file", ((code, None, None) for code in descriptors))
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('licensed_cpt_descriptors', ?)",
        (str(len(descriptors)),),
    )
    record_code_set(conn, "CPT", "licensed CPT file", ((c, None, None) for c in descriptors))
    return changed


# --------------------------------------------------------------------------- content digest

# Tables left out of the digest: the look-up index, derived from the others at build time.
_UNDIGESTED = ("search", "search_fts")
DIGEST_KEY = "content_digest"
# Tables of millions of rows loaded from an official file (whose SHA-256 the digested
# official_releases table records): summed in SQL, as reading every row would take longer
# than the load itself.
_SUMMARISED = {
    "ncci_ptp": "SELECT count(*), total(modifier_indicator), total(prior_1996), "
    "total(length(column1 || column2 || effective || coalesce(deletion, '') || rationale)), "
    "total(unicode(column1) * line), total(unicode(column2) * line) FROM ncci_ptp",
}


def content_digest(conn: sqlite3.Connection) -> str:
    """SHA-256 over every table's rows (in storage order; the digest's own meta row left
    out): the same sources always give the same digest, any changed row a different one."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for name in names:
        if name.startswith(_UNDIGESTED):
            continue
        digest.update(f"table {name}\n".encode())
        if name in _SUMMARISED:
            digest.update(repr(conn.execute(_SUMMARISED[name]).fetchone()).encode())
            continue
        rows = conn.execute(f"SELECT * FROM {_quote(name)} ORDER BY rowid")
        for row in rows:
            if name == "meta" and row[0] == DIGEST_KEY:
                continue
            digest.update(repr(tuple(row)).encode() + b"\n")
    return digest.hexdigest()


def _seal(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (DIGEST_KEY,))
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)", (DIGEST_KEY, content_digest(conn))
    )


def _refresh_search(conn: sqlite3.Connection) -> None:
    """Additions change codes and descriptors: the look-up index is made again from them."""
    conn.executescript("DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search;")
    _build_search(conn)


def _build_search(conn: sqlite3.Connection) -> None:
    _build_search_tables(conn)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'icd10cm_dated'").fetchone():
        _add_dated_icd_to_search(conn)
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def _add_dated_icd_to_search(conn: sqlite3.Connection) -> None:
    """Codes and titles of loaded ICD-10-CM releases the shipped list does not have."""
    conn.execute(
        "INSERT INTO search (kind, code, compact, description, billable, priority) "
        "SELECT 'icd10cm', d.code, d.compact, d.description, max(d.billable), 2 "
        "FROM icd10cm_dated d WHERE NOT EXISTS (SELECT 1 FROM search s WHERE "
        "s.compact = d.compact AND s.kind = 'icd10cm' AND s.description = d.description) "
        "GROUP BY d.compact, d.description"
    )


def _build_search_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE search (
            kind TEXT NOT NULL, code TEXT NOT NULL, compact TEXT NOT NULL,
            description TEXT NOT NULL, billable INTEGER, priority INTEGER NOT NULL
        );
        INSERT INTO search SELECT 'code', code, upper(code), descriptor, NULL, 0 FROM codes;
        INSERT INTO search SELECT 'modifier', modifier, upper(modifier), description, NULL, 1
            FROM modifiers;
        INSERT INTO search SELECT 'icd10cm', code, compact, description, billable, 2 FROM icd10cm;
        INSERT INTO search SELECT 'taxonomy', code, upper(code), display_name, NULL, 3
            FROM taxonomy;
        CREATE INDEX search_compact ON search (compact);
        CREATE VIRTUAL TABLE search_fts USING fts5(
            code, description, content='search', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
        );
        """
    )


# --------------------------------------------------------------------------- open


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = f"file:{path.as_posix()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    return conn


def rebuild_command(path: Path) -> str:
    """The command that rebuilds this reference: a named one is rebuilt only when asked."""
    from models.paths import shipped_reference_path, user_reference_path

    if path in (shipped_reference_path(), user_reference_path()):
        return "worksheet reference build"
    import shlex

    return f"worksheet --reference {shlex.quote(str(path))} reference build"


def _corrupt(path: Path, detail: str) -> ReferenceUnavailable:
    return ReferenceUnavailable(
        f"the reference database {path} is unusable ({detail}). Rebuild it with "
        f"`{rebuild_command(path)}`"
    )


class Reference:
    """Read-only access to one built reference database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        if not path.is_file():
            raise ReferenceUnavailable(
                f"no reference database at {path}: build it with `{rebuild_command(path)}`"
            )
        try:
            self._conn = _connect_read_only(path)
            self.meta = self._read_meta()
        except sqlite3.DatabaseError as exc:
            raise _corrupt(path, str(exc)) from None
        self._cache: dict[type[rd.Row], tuple[rd.Row, ...]] = {}

    def close(self) -> None:
        self._conn.close()

    def _read_meta(self) -> rd.MetaInfo:
        conn = self._conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise ReferenceUnavailable(
                f"the reference database {self.path} has schema version {version}; this program "
                f"reads version {SCHEMA_VERSION}. Rebuild it with `{rebuild_command(self.path)}`"
            )
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page_count = conn.execute("PRAGMA page_count").fetchone()[0]
        if self.path.stat().st_size < page_size * page_count:
            raise _corrupt(self.path, "the file is truncated")
        values = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        try:
            return rd.MetaInfo(
                schema_version=int(values["schema_version"]),
                data_version=values["data_version"],
                icd10cm_release=values["icd10cm_release"],
                source_hash=values["source_hash"],
                content_digest=values[DIGEST_KEY],
                licensed_cpt_descriptors=int(values.get("licensed_cpt_descriptors", "0")),
                additions=values.get("additions", ""),
                additions_digest=values.get("additions_digest", ""),
            )
        except (KeyError, ValueError):
            raise _corrupt(self.path, "its version record is incomplete") from None

    def verify_content(self) -> None:
        """Refuse a reference whose tables no longer match the digest written when it was
        built (a row deleted or changed by hand): its checks would not be the ones it claims."""
        with self._lock:
            try:
                actual = content_digest(self._conn)
            except sqlite3.DatabaseError as exc:
                raise _corrupt(self.path, str(exc)) from None
        if actual != self.meta.content_digest:
            raise ReferenceUnavailable(
                f"the reference database {self.path} was changed after it was built (its "
                "tables do not match their content digest): it cannot be trusted. Rebuild it "
                f"with `{rebuild_command(self.path)}`"
            )

    def meta_value(self, key: str) -> str | None:
        found = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(found[0][0]) if found else None

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.DatabaseError as exc:
                raise _corrupt(self.path, str(exc)) from None

    # -- whole small tables, read once -------------------------------------

    def rows(self, model: type[RowT]) -> tuple[RowT, ...]:
        cached = self._cache.get(model)  # type: ignore[arg-type]
        if cached is None:
            table = TABLES_BY_MODEL[model]  # type: ignore[index]
            fields = list(model.model_fields)
            sql = f"SELECT {', '.join(_quote(f) for f in fields)} FROM {table.name}"
            records = self._query(sql)
            convert = _stored_value_converters(model)
            cached = tuple(
                model.model_construct(**{k: convert.get(k, _same)(r[k])  # type: ignore[misc]
                                         for k in fields if r[k] is not None})
                for r in records
            )
            self._cache[model] = cached  # type: ignore[index]
        return cached  # type: ignore[return-value]

    @cached_property
    def codes(self) -> dict[str, rd.CodeRow]:
        return {row.code: row for row in self.rows(rd.CodeRow)}

    @cached_property
    def modifiers(self) -> dict[str, rd.ModifierRow]:
        return {row.modifier: row for row in self.rows(rd.ModifierRow)}

    @cached_property
    def payers(self) -> dict[str, rd.PayerRow]:
        return {row.payer: row for row in self.rows(rd.PayerRow)}

    @cached_property
    def code_sets(self) -> dict[str, rd.CodeSetRow]:
        return {row.code_set: row for row in self.rows(rd.CodeSetRow)}

    def code_set_name(self, code_set: str) -> str:
        found = self.code_sets.get(code_set)
        return found.name if found else code_set

    @cached_property
    def families(self) -> dict[str, rd.FamilyRow]:
        return {row.family: row for row in self.rows(rd.FamilyRow)}

    def questions(self, family: str) -> list[rd.QuestionRow]:
        return sorted(
            (q for q in self.rows(rd.QuestionRow) if q.family == family), key=lambda q: q.order
        )

    # -- point look-ups -----------------------------------------------------

    def icd(self, code: str, on: date | None = None) -> rd.IcdCode | None:
        """The code in the ICD-10-CM release in force on a date (no date: the newest)."""
        release = self.icd_release_for(on)
        if release.shipped:
            found = self._query(
                "SELECT code, description, billable FROM icd10cm WHERE compact = ?",
                (_compact(code),),
            )
        else:
            found = self._query(
                "SELECT code, description, billable FROM icd10cm_dated "
                "WHERE release = ? AND compact = ?",
                (release.release, _compact(code)),
            )
        if not found:
            return None
        row = found[0]
        return rd.IcdCode(
            code=row[0], description=row[1], billable=bool(row[2]), release=release.release
        )

    def excludes1(self, items: Sequence[str], on: date | None = None) -> list[rd.Excludes1Row]:
        """The Excludes1 notes of tabular items in the release in force on a date."""
        if not items:
            return []
        marks = ", ".join("?" for _ in items)
        release = self.icd_release_for(on)
        if release.shipped:
            sql = f"SELECT item, first, last, note FROM icd_excludes1 WHERE item IN ({marks})"
            params: list[str] = list(items)
        else:
            sql = (
                "SELECT item, first, last, note FROM icd_excludes1_dated "
                f"WHERE release = ? AND item IN ({marks})"
            )
            params = [release.release, *items]
        found = self._query(sql, params)
        return [rd.Excludes1Row(item=r[0], first=r[1], last=r[2], note=r[3]) for r in found]

    def icd_block_items(self) -> list[str]:
        """Items with Excludes1 notes that are ranges of categories (blocks), e.g. 'M30-M36'."""
        sql = "SELECT DISTINCT item FROM icd_excludes1 WHERE item LIKE '%-%'"
        if "icd_excludes1_dated" in self._tables:
            sql += " UNION SELECT DISTINCT item FROM icd_excludes1_dated WHERE item LIKE '%-%'"
        return [r[0] for r in self._query(sql)]

    # -- official files a site loaded (their tables exist only after a load) ---

    @cached_property
    def _tables(self) -> frozenset[str]:
        return frozenset(r[0] for r in self._query("SELECT name FROM sqlite_master"))

    @cached_property
    def official_releases(self) -> tuple[rd.OfficialRelease, ...]:
        """Every loaded file, in the order loaded (superseded ones too)."""
        if "official_releases" not in self._tables:
            return ()
        found = self._query(
            "SELECT kind, release, label, edit_set, effective_from, file, sha256, rows, status "
            "FROM official_releases ORDER BY id"
        )
        return tuple(rd.OfficialRelease.model_validate(dict(r)) for r in found)

    @cached_property
    def _releases_in_use(self) -> dict[tuple[str, str | None], list[rd.OfficialRelease]]:
        """The releases in use by kind and set, oldest first."""
        found: dict[tuple[str, str | None], list[rd.OfficialRelease]] = {}
        for release in self.official_releases:
            if release.status == "in use":
                found.setdefault((release.kind, release.edit_set), []).append(release)
        for releases in found.values():
            releases.sort(key=lambda r: r.effective_from or date.min)
        return found

    def release_in_use(
        self, kind: str, edit_set: str | None = None, on: date | None = None
    ) -> rd.OfficialRelease | None:
        """The loaded release of a kind (and set) for a date: the newest in use that starts
        on or before it, else the earliest; without a date the newest."""
        candidates = self._releases_in_use.get((kind, edit_set))
        if not candidates:
            return None
        started = [r for r in candidates if on is None or (r.effective_from or date.min) <= on]
        return started[-1] if started else candidates[0]

    @cached_property
    def icd_releases(self) -> tuple[rd.IcdRelease, ...]:
        """The shipped ICD-10-CM release and the loaded ones, oldest first."""
        shipped = rd.IcdRelease(
            release=self.meta.icd10cm_release,
            effective_from=_release_date(self.meta.icd10cm_release),
            shipped=True,
        )
        loaded = [
            rd.IcdRelease(release=r.release, effective_from=r.effective_from, shipped=False)
            for r in self.official_releases
            if r.kind == "icd10cm" and r.status == "in use"
        ]
        return tuple(sorted([shipped, *loaded], key=lambda r: r.effective_from or date.min))

    def icd_release_for(self, on: date | None) -> rd.IcdRelease:
        """Each release governs from its effective date until the next; a date before all of
        them falls to the shipped release; no date: the newest."""
        releases = self.icd_releases
        if on is None:
            return releases[-1]
        started = [r for r in releases if r.effective_from is None or r.effective_from <= on]
        return started[-1] if started else next(r for r in releases if r.shipped)

    def ptp_edits(self, edit_set: str, codes: Sequence[str]) -> list[rd.PtpEdit]:
        """The loaded NCCI PTP edits of a set between any two of the codes (any dates)."""
        if "ncci_ptp" not in self._tables or len(set(codes)) < 2:
            return []
        unique = sorted(set(codes))
        marks = ", ".join("?" for _ in unique)
        found = self._query(
            "SELECT edit_set, release, column1, column2, prior_1996, effective, deletion, "
            f"modifier_indicator, rationale FROM ncci_ptp WHERE edit_set = ? AND column1 IN "
            f"({marks}) AND column2 IN ({marks})",
            [edit_set, *unique, *unique],
        )
        return [
            rd.PtpEdit(
                edit_set=r[0],
                release=r[1],
                column1=r[2],
                column2=r[3],
                prior_1996=bool(r[4]),
                effective=_ymd(r[5]),
                deletion=_ymd(r[6]) if r[6] else None,
                modifier_indicator=r[7],
                rationale=r[8],
            )
            for r in found
            if r[2] != r[3]
        ]

    def mue_limits(
        self, edit_set: str, codes: Sequence[str], on: date | None
    ) -> dict[str, rd.MueLimit]:
        """The MUE of each code in the set's table in force on the date of service."""
        release = self.release_in_use("ncci-mue", edit_set, on)
        if release is None or not codes:
            return {}
        unique = sorted(set(codes))
        marks = ", ".join("?" for _ in unique)
        found = self._query(
            "SELECT edit_set, release, code, units, mai, mai_text, rationale FROM ncci_mue "
            f"WHERE code IN ({marks}) AND edit_set = ? AND release = ?",
            [*unique, edit_set, release.release],
        )
        return {
            r[2]: rd.MueLimit(
                edit_set=r[0],
                release=r[1],
                code=r[2],
                units=r[3],
                mai=r[4],
                mai_text=r[5],
                rationale=r[6],
            )
            for r in found
        }

    def hcpcs(self, code: str) -> rd.HcpcsCode | None:
        """A code or modifier of the loaded HCPCS file."""
        if "hcpcs_codes" not in self._tables:
            return None
        found = self._query(
            "SELECT code, kind, long_description, short_description, coverage, add_date, "
            "term_date, action_code, release FROM hcpcs_codes WHERE code = ?",
            (code.strip().upper(),),
        )
        return rd.HcpcsCode.model_validate(dict(found[0])) if found else None

    def code_absent_on(self, code: str, on: date | None) -> str | None:
        """Whether a loaded code set says this code does not exist on the date: the reason,
        naming the release; None when no loaded file says so (or none covers the code)."""
        code = code.strip().upper()
        if not HCPCS_LEVEL2.fullmatch(code):
            return self._absent_from_code_set(code, on)
        release = self.release_in_use("hcpcs")
        if release is None:
            return None
        row = self.hcpcs(code)
        if row is None:
            return f"{code} is not in the HCPCS file {release.release}"
        if row.exists_on(on):
            return None
        span = " ".join(
            part
            for part in (
                f"added {row.add_date}" if row.add_date else "",
                f"terminated {row.term_date}" if row.term_date else "",
            )
            if part
        )
        return f"{code} does not exist on {on} in the HCPCS file {release.release} ({span})"

    def taxonomy(self, code: str) -> rd.TaxonomyRow | None:
        found = self._query(
            "SELECT code, display_name, section FROM taxonomy WHERE code = ?", (code.upper(),)
        )
        if not found:
            return None
        row = found[0]
        return rd.TaxonomyRow(code=row[0], display_name=row[1], section=row[2])

    @cached_property
    def loaded_code_systems(self) -> dict[str, str]:
        """Code system → the name of the loaded set that holds it (empty: none loaded)."""
        if "code_set_codes" not in self._tables:
            return {}
        rows = self._query("SELECT DISTINCT code_system, code_set FROM code_set_codes")
        return {r[0]: r[1] for r in rows}

    def _absent_from_code_set(self, code: str, on: date | None) -> str | None:
        """A CPT code missing from the loaded licensed CPT file on the date (None when no such
        file is loaded, or the code is in it)."""
        system = code_system_of(code)
        code_set = self.loaded_code_systems.get(system)
        if code_set is None:
            return None
        spans = self._query(
            "SELECT effective_from, effective_to FROM code_set_codes "
            "WHERE code = ? AND code_system = ?",
            (code, system),
        )
        day = on.isoformat() if on else None
        if any(
            day is None or ((start or "") <= day and (end is None or day <= end))
            for start, end in spans
        ):
            return None
        return f"{code} is not in the loaded {code_set}" + (f" on {on}" if on else "")

    def point_lookup_baseline(self) -> None:
        """The cheapest query there is; the benchmark's bare baseline."""
        self._query("SELECT 1 FROM meta WHERE key = 'data_version'")

    # -- search ---------------------------------------------------------------

    def search(
        self,
        text: str,
        limit: int = 20,
        kinds: Sequence[str] | None = None,
        on: date | None = None,
        family: str | None = None,
    ) -> list[rd.SearchHit]:
        """Codes and words as a coder types them: every prefix of a word matches (no stemming).
        Billable codes come before headers; with ``family``, diagnosis codes of the family's
        diagnosis groups come first. With ICD-10-CM releases loaded, diagnoses carry the title
        of the release in force on the date (the newest without one) and whether they are
        valid in it."""
        hits = self._search(text, limit, kinds, family)
        if len(self.icd_releases) < 2:
            return hits
        return [self._in_release(hit, on) if hit.kind == "icd10cm" else hit for hit in hits]

    def _in_release(self, hit: rd.SearchHit, on: date | None) -> rd.SearchHit:
        found = self.icd(hit.code, on)
        if found is None:
            return hit.model_copy(update={"valid": False})
        return hit.model_copy(
            update={"valid": True, "description": found.description, "billable": found.billable}
        )

    def _search(self, text: str, limit: int, kinds: Sequence[str] | None,
                family: str | None = None) -> list[rd.SearchHit]:
        text = text.strip()
        if not text or limit <= 0:
            return []
        kind_filter = ""
        params_kinds: list[str] = []
        if kinds:
            kind_filter = f" AND kind IN ({', '.join('?' for _ in kinds)})"
            params_kinds = list(kinds)
        preferred, params_preferred = self._family_order(family)
        hits: list[rd.SearchHit] = []
        seen: set[tuple[str, str]] = set()
        if _looks_like_code(text):
            compact = _compact(text)
            rows = self._query(
                "SELECT kind, code, description, billable FROM search "
                f"WHERE compact >= ? AND compact < ?{kind_filter} "
                "ORDER BY compact != ?, priority, coalesce(billable, 1) DESC, "
                "length(compact), compact LIMIT ?",
                [compact, compact + "\uffff", *params_kinds, compact, limit],
            )
            _collect(rows, hits, seen)
        words = re.findall(r"\w+", text)
        if words and len(hits) < limit:
            query = " AND ".join(f'"{w}"*' for w in words)
            rows = self._query(
                "SELECT s.kind, s.code, s.description, s.billable FROM search_fts "
                "JOIN search s ON s.rowid = search_fts.rowid "
                f"WHERE search_fts MATCH ?{kind_filter} "
                f"ORDER BY s.priority > 1, {preferred}coalesce(s.billable, 1) DESC, "
                "search_fts.rank, s.priority LIMIT ?",
                [query, *params_kinds, *params_preferred, limit + len(hits)],
            )
            _collect(rows, hits, seen)
        return hits[:limit]

    def _family_order(self, family: str | None) -> tuple[str, list[str | int]]:
        """An ORDER BY term: the family's supporting diagnosis groups first, then its
        secondary ones, then the rest (and the term's parameters)."""
        if not family:
            return "", []
        ranks: dict[str, int] = {}
        for g in self.rows(rd.DxGroupRow):
            if g.family in (family, "*") and g.role != "trial":
                prefix = _compact(g.pattern.rstrip("-"))
                ranks[prefix] = min(ranks.get(prefix, 2), 0 if g.role == "supports" else 1)
        if not ranks:
            return "", []
        cases = " ".join("WHEN substr(s.compact, 1, ?) = ? THEN ?" for _ in ranks)
        params: list[str | int] = [v for p, rank in sorted(ranks.items()) for v in (len(p), p, rank)]
        return f"CASE {cases} ELSE 2 END, ", params

    def counts(self) -> dict[str, int]:
        names = [t.name for t in SOURCE_TABLES] + ["icd10cm", "icd_excludes1"]
        names += [t for t in OFFICIAL_TABLES if t in self._tables]
        return {n: int(self._query(f"SELECT count(*) FROM {n}")[0][0]) for n in names}

    def billable_icd_count(self) -> int:
        return int(self._query("SELECT count(*) FROM icd10cm WHERE billable = 1")[0][0])


HCPCS_LEVEL2 = re.compile(r"[A-V][0-9]{4}")


def _ymd(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


_MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}


def _release_date(name: str) -> date | None:
    """'April 1 2026' → 2026-04-01 (the shipped tabular list's name). English month names
    whatever the user's locale (strptime's %B follows the locale Qt sets)."""
    try:
        month, day, year = name.split()
        return date(int(year), _MONTHS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None


def _same(value: Any) -> Any:
    return value


def _stored_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _stored_value_converters(model: type[BaseModel]) -> dict[str, Callable[[Any], Any]]:
    """How a stored value becomes the row's value: SQLite keeps dates as ISO text and booleans
    as 0/1. The rows were validated by their models when the reference was built, and its
    content digest is verified when it is opened, so reading them back is a conversion, not a
    second validation (which would build every row model's validator at start-up)."""
    converters: dict[str, Callable[[Any], Any]] = {}
    for name, field in model.model_fields.items():
        kinds = set(typing.get_args(field.annotation)) or {field.annotation}
        if date in kinds:
            converters[name] = _stored_date
        elif bool in kinds:
            converters[name] = bool
    return converters


def _quote(name: str) -> str:
    return f'"{name}"'


def _looks_like_code(text: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Za-z0-9]{1,3}(\.[A-Za-z0-9]{0,4})?[A-Za-z0-9]*", text))
        and any(ch.isdigit() for ch in text)
    ) or bool(re.fullmatch(r"[A-Za-z0-9]{2}", text))


def _collect(rows: list[sqlite3.Row], hits: list[rd.SearchHit], seen: set[tuple[str, str]]) -> None:
    for row in rows:
        key = (row[0], row[1])
        if key in seen:
            continue
        seen.add(key)
        billable = None if row[3] is None else bool(row[3])
        hits.append(rd.SearchHit(kind=row[0], code=row[1], description=row[2], billable=billable))


# --------------------------------------------------------------------------- entry point


def is_stale(path: Path, sources: Path | None = None) -> bool:
    sources = sources or reference_sources_dir()
    if not sources.is_dir():
        return False
    try:
        conn = _connect_read_only(path)
        try:
            found = conn.execute("SELECT value FROM meta WHERE key = 'source_hash'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False  # opening it will report the problem
    return found is None or found[0] != sources_hash(sources)


def open_reference(path: Path | None = None, *, build_if_needed: bool = True) -> Reference:
    """Open the reference in use (see :mod:`models.lifecycle`): the named one as it is, or the
    default one, built or rebuilt first when missing or stale. Its content is verified."""
    from models.lifecycle import open_current

    return open_current(path, build_if_needed=build_if_needed)
