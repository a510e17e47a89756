"""A throwaway PostgreSQL cluster for the tests: a temporary folder, a Unix socket inside it.

The server refuses to run as root, so as root it runs as the `postgres` system user (the
folder is handed to that user); elsewhere as the current user. Debian's `postgresql`
package provides the binaries (`python3 dev.py test` installs it when missing).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPERUSER = "worksheet"
DATABASE = "cases"


def server_bin_dir() -> Path | None:
    """The newest installed server's bin folder, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


def _run_as() -> dict[str, Any]:
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam("postgres")
    return {"user": account.pw_uid, "group": account.pw_gid}


@dataclass
class Cluster:
    bin_dir: Path
    folder: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def url(self, database: str = DATABASE, **options: str) -> str:
        extra = "".join(f"&{k}={v}" for k, v in options.items())
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}{extra}"

    def _run(self, *command: str) -> None:
        completed = subprocess.run([*command], cwd=self.folder, capture_output=True, text=True,
                                   env={**os.environ, "LC_ALL": "C"}, check=False,
                                   **_run_as())
        if completed.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {completed.stdout}{completed.stderr}")

    def start(self) -> None:
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            for path in (self.folder, self.socket_dir):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                  "--auth=trust", "--no-sync", "-E", "UTF8")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.folder / "server.log"), "-o", options, "-w", "start")
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def fresh_url(self, name: str) -> str:
        """A URL whose tables go to a new, empty schema of their own."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            conn.execute(f'CREATE SCHEMA "{name}"')
        return self.url(options=f"-csearch_path%3D{name}")


def start_cluster() -> Cluster:
    bin_dir = server_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server under /usr/lib/postgresql/*/bin "
                                "(Debian package `postgresql`; `python3 dev.py test` installs it)")
    folder = Path(tempfile.mkdtemp(prefix="worksheet-pg-"))
    cluster = Cluster(bin_dir, folder)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
