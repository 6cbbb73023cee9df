"""Problem upload: hostile archives are refused before anything is written; good
packages become immutable versions after validation in the real sandbox."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from backend.app import create_app
from tests.backend.conftest import TestClient
from tests.backend.problems import ACCEPTED, write_problem

pytestmark = pytest.mark.timeout(180)


def _zip(entries: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return buffer.getvalue()


def _package_zip(tmp: Path, slug: str = "new-problem", **kwargs) -> bytes:
    root = write_problem(tmp, slug, **kwargs)
    return _zip(
        {f"{slug}/{p.relative_to(root)}": p.read_bytes() for p in root.rglob("*") if p.is_file()}
    )


def _upload(client, actors, data: bytes, who="instructor", filename="p.zip"):
    return client.post(
        "/api/v1/problems",
        files={"file": (filename, data, "application/zip")},
        headers=actors[who].headers,
    )


@pytest.mark.parametrize(
    ("entries", "symlinks", "status", "code"),
    [
        ({"../evil.txt": b"x"}, None, 422, "unsafe_path"),
        ({"p/../../evil.txt": b"x"}, None, 422, "unsafe_path"),
        ({"/tmp/evil.txt": b"x"}, None, 422, "unsafe_path"),
        ({"p/problem.yaml": b"name: x\n"}, {"p/link": "/etc/passwd"}, 422, "symlink"),
        ({"p/big.bin": b"\0" * 300_000}, None, 413, "entry_too_large"),
        ({f"p/{i}.txt": b"x" for i in range(60)}, None, 413, "too_many_files"),
        ({f"p/{i}.bin": b"\0" * 90_000 for i in range(6)}, None, 413, "archive_too_large"),
        ({"p/statement.md": b"no yaml"}, None, 422, "no_problem_yaml"),
    ],
)
def test_hostile_archives_are_refused(settings, actors, tmp_path, entries, symlinks, status, code):
    small = settings.model_copy(
        update={
            "max_package_files": 50,
            "max_package_entry_bytes": 200_000,
            "max_package_bytes": 400_000,
        }
    )
    with TestClient(create_app(small)) as client:
        response = _upload(client, actors, _zip(entries, symlinks=symlinks))
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_not_a_zip_and_oversized_upload(client, actors, settings):
    bad = _upload(client, actors, b"PK\x03\x04 not really")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_archive"
    app = create_app(settings.model_copy(update={"max_upload_bytes": 1000}))
    with TestClient(app) as small:
        big = _upload(small, actors, b"\0" * 5000)
    assert big.status_code == 413 and big.json()["error"]["code"] == "upload_too_large"


def test_malformed_package_names_the_file(client, actors, tmp_path):
    data = _zip({"broken/problem.yaml": b"name: [unclosed\n", "broken/statement.md": b"# x\n"})
    response = _upload(client, actors, data)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "bad_package" and "problem.yaml" in error["message"]


def test_malformed_package_reports_every_problem(client, actors, tmp_path):
    """Three independent defects: the 422 names all three, not only the first."""
    root = write_problem(tmp_path, "three-faults")
    (root / "templates" / "rust.rs").write_text("fn main() {}\n")
    (root / "editorial.md").write_bytes(b"\xff\xfe not UTF-8\n")
    next((root / "data" / "secret" / "main").glob("*.ans")).unlink()
    data = _zip(
        {
            f"three-faults/{p.relative_to(root)}": p.read_bytes()
            for p in root.rglob("*")
            if p.is_file()
        }
    )
    response = _upload(client, actors, data)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_package"
    files = [problem["file"] for problem in error["details"]["problems"]]
    assert len(files) == 3, files
    assert {"editorial.md", "templates/rust.rs"} <= set(files)
    assert any(f.startswith("data/secret/main/") and f.endswith(".in") for f in files)
    for problem in error["details"]["problems"]:
        assert f"{problem['file']}: {problem['message']}" in error["message"]
    assert error["details"]["file"] == files[0]


def test_package_failing_validation_is_refused_with_report(client, actors, tmp_path):
    root = write_problem(tmp_path, "liar")
    (root / "submissions" / "accepted" / "sol.py").write_text("print(0)\n")  # not accepted at all
    data = _zip(
        {f"liar/{p.relative_to(root)}": p.read_bytes() for p in root.rglob("*") if p.is_file()}
    )
    response = _upload(client, actors, data)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["details"]["ok"] is False and error["details"]["errors"]
    assert client.get("/api/v1/problems/liar", headers=actors.instructor.headers).status_code == 404


def test_upload_versions_visibility_and_hidden_tests(client, actors, tmp_path):
    data = _package_zip(tmp_path / "v1", visibility="hidden")
    created = _upload(client, actors, data)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["slug"] == "new-problem" and body["version"] == 1 and body["created"] is True
    assert body["report"]["ok"] is True
    # Same content again: the current version, not a new one.
    same = _upload(client, actors, data)
    assert (
        same.status_code == 200 and same.json()["version"] == 1 and same.json()["created"] is False
    )

    # A hidden draft: its instructor sees it; learners don't, nor other instructors' tokens
    # would (covered in test_problem_ownership).
    assert (
        client.get("/api/v1/problems/new-problem", headers=actors.learner.headers).status_code
        == 404
    )
    detail = client.get("/api/v1/problems/new-problem", headers=actors.instructor.headers).json()
    assert detail["visibility"] == "hidden" and detail["version"] == 1
    published = client.patch(
        "/api/v1/problems/new-problem",
        json={"visibility": "public"},
        headers=actors.instructor.headers,
    )
    assert published.status_code == 200 and published.json()["visibility"] == "public"
    learner_view = client.get("/api/v1/problems/new-problem", headers=actors.learner.headers).json()
    # Only samples are served: the hidden tests' data never is.
    assert [s["name"] for s in learner_view["samples"]] == ["sample/01", "sample/02"]
    assert "300" not in str(learner_view) and "-11" not in str(learner_view)
    assert learner_view["editorial_md"] is None
    assert learner_view["templates"]["python"].startswith("a, b")
    assert learner_view["languages"] == [
        {"id": "python", "name": "Python 3", "editor_mode": "python"}
    ]

    changed = _package_zip(tmp_path / "v2", statement="Now with more words.\n")
    second = _upload(client, actors, changed)
    assert second.status_code == 201 and second.json()["version"] == 2
    assert "more words" in client.get("/api/v1/problems/new-problem").json()["statement_md"]


def test_problem_ownership(client, actors, tmp_path, settings):
    from backend.db.session import make_engine, make_sessionmaker
    from backend.schemas.tokens import Scope
    from backend.schemas.users import Role
    from backend.services import tokens, users

    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        rival = users.create_user(
            session=session, username="rival", password="x", role=Role.INSTRUCTOR
        )
        _, secret = tokens.create(
            session=session,
            settings=settings,
            user=rival,
            name="t",
            scopes=[Scope.READ, Scope.SUBMIT, Scope.PROBLEMS_WRITE],
        )
    engine.dispose()
    rival_headers = {"Authorization": f"Bearer {secret}"}
    assert (
        _upload(
            client, actors, _package_zip(tmp_path / "a", "owned", visibility="hidden")
        ).status_code
        == 201
    )
    assert client.get("/api/v1/problems/owned", headers=rival_headers).status_code == 404
    stolen = client.post(
        "/api/v1/problems",
        files={"file": ("p.zip", _package_zip(tmp_path / "b", "owned", statement="mine now\n"))},
        headers=rival_headers,
    )
    assert stolen.status_code == 403
    client.patch(
        "/api/v1/problems/owned", json={"visibility": "public"}, headers=actors.instructor.headers
    )
    learner_sub = client.post(
        "/api/v1/submissions",
        json={"problem": "owned", "language": "python", "source": ACCEPTED},
        headers=actors.learner.headers,
    ).json()
    # The owner sees learners' submissions on the problem; the rival instructor doesn't.
    owner_view = client.get(
        f"/api/v1/submissions/{learner_sub['id']}", headers=actors.instructor.headers
    )
    assert owner_view.status_code == 200
    rival_view = client.get(f"/api/v1/submissions/{learner_sub['id']}", headers=rival_headers)
    assert rival_view.status_code == 404
    listed = client.get(
        "/api/v1/submissions", params={"problem": "owned"}, headers=rival_headers
    ).json()
    assert listed["count"] == 0
