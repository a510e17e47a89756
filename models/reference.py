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
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from models import refdata as rd
from models.paths import default_reference_path, licensed_cpt_path, reference_sources_dir

SCHEMA_VERSION = 4
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
)
TABLES_BY_MODEL: dict[type[rd.Row], SourceTable] = {t.model: t for t in SOURCE_TABLES}


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


def sources_hash(directory: Path, licensed: Path | None = None) -> str:
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    digest.update(f"{ICD_PACKAGE} {package_version(ICD_PACKAGE)}\n".encode())
    for path in source_files(directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    if licensed is not None and licensed.is_file():
        digest.update(b"licensed-cpt\0" + licensed.read_bytes())
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


def build(
    out: Path | None = None, sources: Path | None = None, licensed: Path | None = None
) -> Path:
    """Build the reference to a temporary file beside ``out``, then rename it into place."""
    import sqlite_utils  # build time only

    out = out or default_reference_path()
    sources = sources or reference_sources_dir()
    licensed = licensed if licensed is not None else licensed_cpt_path()
    tables = {t.name: read_source_rows(sources, t) for t in SOURCE_TABLES}
    descriptors = read_licensed_descriptors(licensed) if licensed.is_file() else {}
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "data_version": _meta_value(sources, "data_version"),
        "icd10cm_release": icd_release_name(),
        "source_hash": sources_hash(sources, licensed),
        "licensed_cpt_descriptors": str(len(descriptors)),
    }
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise ReferenceUnavailable(
            f"cannot write the reference database at {out} ({exc.strerror}): choose a writable "
            "path with --reference or the WORKSHEET_REFERENCE environment variable"
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite_utils.Database(tmp, recreate=True)
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.conn.execute("PRAGMA synchronous = OFF")
        for table in SOURCE_TABLES:
            rows = [_row_for_db(r, table, descriptors) for r in tables[table.name]]
            db[table.name].insert_all(rows, pk=table.pk)  # type: ignore[union-attr]
        db["icd10cm"].insert_all(_icd_rows(), pk="code", batch_size=5000)  # type: ignore[union-attr]
        db["icd10cm"].create_index(["compact"])  # type: ignore[union-attr]
        db["icd_excludes1"].insert_all(_excludes1_rows(), batch_size=5000)  # type: ignore[union-attr]
        db["icd_excludes1"].create_index(["item"])  # type: ignore[union-attr]
        db["meta"].insert_all(({"key": k, "value": v} for k, v in meta.items()), pk="key")  # type: ignore[union-attr]
        _build_code_set_codes(db.conn, descriptors)
        _build_search(db.conn)
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


def _row_for_db(row: rd.Row, table: SourceTable, descriptors: dict[str, str]) -> dict[str, Any]:
    data = row.model_dump(mode="json")
    if table.model is rd.CodeRow:
        licensed = descriptors.get(data["code"])
        data["descriptor_origin"] = "licensed CPT file" if licensed else "project"
        if licensed and data["system"] in ("CPT-I", "CPT-III"):
            data["descriptor"] = licensed
    return data


def _build_code_set_codes(conn: sqlite3.Connection, licensed: dict[str, str]) -> None:
    """The codes of the loaded code sets, each with the dates it exists. A code system
    (CPT, HCPCS) with rows here is complete: a code of it missing on a date does not exist
    then. Loaders of official files add their rows to this table."""
    conn.execute(
        "CREATE TABLE code_set_codes (code TEXT NOT NULL, code_system TEXT NOT NULL, "
        "code_set TEXT NOT NULL, effective_from TEXT, effective_to TEXT)"
    )
    conn.execute("CREATE INDEX code_set_codes_code ON code_set_codes (code)")
    record_code_set(conn, "CPT", "licensed CPT file", ((code, None, None) for code in licensed))


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


def _build_search(conn: sqlite3.Connection) -> None:
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
        INSERT INTO search_fts (rowid, code, description)
            SELECT rowid, code, description FROM search;
        INSERT INTO search_fts (search_fts) VALUES ('optimize');
        """
    )


# --------------------------------------------------------------------------- open


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = f"file:{path.as_posix()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    return conn


def _corrupt(path: Path, detail: str) -> ReferenceUnavailable:
    return ReferenceUnavailable(
        f"the reference database {path} is unusable ({detail}). Delete the file or rebuild it "
        "with `worksheet reference build`"
    )


class Reference:
    """Read-only access to one built reference database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        if not path.is_file():
            raise ReferenceUnavailable(
                f"no reference database at {path}: build it with `worksheet reference build`"
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
                f"reads version {SCHEMA_VERSION}. Rebuild it with `worksheet reference build`"
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
            )
        except (KeyError, ValueError):
            raise _corrupt(self.path, "its version record is incomplete") from None

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
            cached = tuple(
                model.model_validate({k: r[k] for k in fields if r[k] is not None})  # type: ignore[misc]
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

    def icd(self, code: str) -> rd.IcdCode | None:
        found = self._query(
            "SELECT code, description, billable FROM icd10cm WHERE compact = ?", (_compact(code),)
        )
        if not found:
            return None
        row = found[0]
        return rd.IcdCode(code=row[0], description=row[1], billable=bool(row[2]))

    def excludes1(self, items: Sequence[str]) -> list[rd.Excludes1Row]:
        if not items:
            return []
        marks = ", ".join("?" for _ in items)
        found = self._query(
            f"SELECT item, first, last, note FROM icd_excludes1 WHERE item IN ({marks})",
            list(items),
        )
        return [rd.Excludes1Row(item=r[0], first=r[1], last=r[2], note=r[3]) for r in found]

    def icd_block_items(self) -> list[str]:
        """Items with Excludes1 notes that are ranges of categories (blocks), e.g. 'M30-M36'."""
        return [
            r[0]
            for r in self._query("SELECT DISTINCT item FROM icd_excludes1 WHERE item LIKE '%-%'")
        ]

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
        rows = self._query("SELECT DISTINCT code_system, code_set FROM code_set_codes")
        return {r[0]: r[1] for r in rows}

    def code_on_file(self, code: str, dos: date | None) -> rd.CodeOnFile | None:
        """Whether a loaded code set has the code on the date of service; None when no loaded
        set covers the code's system (then only this program's own list knows it)."""
        code_set = self.loaded_code_systems.get(code_system_of(code))
        if code_set is None:
            return None
        spans = self._query(
            "SELECT effective_from, effective_to FROM code_set_codes "
            "WHERE code = ? AND code_system = ?",
            (code, code_system_of(code)),
        )
        day = dos.isoformat() if dos else None
        exists = any(
            day is None or ((start or "") <= day and (end is None or day <= end))
            for start, end in spans
        )
        return rd.CodeOnFile(code_set=code_set, exists=exists)

    def point_lookup_baseline(self) -> None:
        """The cheapest query there is; the benchmark's bare baseline."""
        self._query("SELECT 1 FROM meta WHERE key = 'data_version'")

    # -- search ---------------------------------------------------------------

    def search(
        self,
        text: str,
        limit: int = 20,
        kinds: Sequence[str] | None = None,
        family: str | None = None,
    ) -> list[rd.SearchHit]:
        """Codes and words as a coder types them: every prefix of a word matches (no stemming).

        Billable codes come before headers; with ``family``, diagnosis codes of the family's
        diagnosis groups come first.
        """
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
        return {n: int(self._query(f"SELECT count(*) FROM {n}")[0][0]) for n in names}

    def billable_icd_count(self) -> int:
        return int(self._query("SELECT count(*) FROM icd10cm WHERE billable = 1")[0][0])


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
    """Open the reference; build it first when missing or older than its sources."""
    path = path or default_reference_path()
    if build_if_needed and (not path.exists() or is_stale(path)):
        try:
            build(path)
        except SourceDataError as exc:
            raise ReferenceUnavailable(f"cannot build the reference database: {exc}") from None
    return Reference(path)
