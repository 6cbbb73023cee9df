"""What the read endpoints show of a problem version, built once per version.

Why a cache: a version's row carries its samples (binary files as base64), templates
and statements, and the detail page renders tensor samples (`.npz` decoded, arrays
printed). Doing that on every request cost 10-80 ms of CPU per `GET /problems` or
`GET /problems/{slug}`, which under a few concurrent clients was the latency tail
(profiled in docs/performance.md).

Why it stays correct: versions are immutable (an upload stores a new one, with a new
id), so a view keyed by the version's id never goes stale. The one exception is
`problems.import_package` refreshing derived data of a version in place (samples
stored before the sample viewer, statements before migration 0009); it calls
`forget`. Another server process keeps its view of such a legacy row until it
restarts; those refreshes happen in `gradebox server run` before the workers start.

Views are kept per engine (a process may serve several databases, as the tests do,
where the same version id means different rows), in a bounded LRU.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from backend.db.models import ProblemVersion
from backend.enums import Difficulty, ProblemType
from backend.errors import InvalidInput
from backend.schemas.problems import LanguagePublic, LimitsPublic, Sample, TrackPosition
from backend.services import samples as sample_service
from sandbox import UnknownLanguage, get_language

MAX_VIEWS = 512  # per engine; a view is a few KiB to a few hundred


@dataclass(frozen=True)
class VersionView:
    """The public, viewer-independent part of one problem version."""

    id: int
    version: int
    name: str
    type: ProblemType
    difficulty: Difficulty
    tags: tuple[str, ...]
    track: TrackPosition | None
    statement_language: str
    statements: dict[str, str]
    samples: tuple[Sample, ...]
    limits: LimitsPublic
    languages: tuple[LanguagePublic, ...]
    templates: dict[str, str]
    editorial_md: str | None
    generators: tuple[str, ...]

    def statement(self, lang: str | None) -> tuple[str, str]:
        """(language, markdown) of the statement asked for, the default when None.

        An unknown language is refused, not answered with the default: a client that
        asked for German and silently got English would show it under a German label.
        """
        lang = self.statement_language if lang is None else lang
        if lang not in self.statements:
            raise InvalidInput(
                f"no statement in language {lang!r} (available: {', '.join(self.statements)})",
                code="unknown_statement_language",
                details={"available": list(self.statements)},
            )
        return lang, self.statements[lang]


def languages_of(spec: dict[str, Any]) -> list[LanguagePublic]:
    out = []
    for lang_id in spec.get("languages", []):
        try:
            lang = get_language(lang_id)
        except UnknownLanguage:
            continue
        out.append(LanguagePublic(id=lang.id, name=lang.display_name, editor_mode=lang.editor_mode))
    return out


def statements_of(version: ProblemVersion) -> dict[str, str]:
    """Every statement of a version by language, the default (statement_md) included."""
    default = str(version.spec.get("statement_language", "en"))
    return dict(sorted({**(version.statements or {}), default: version.statement_md}.items()))


def build(version: ProblemVersion) -> VersionView:
    spec = version.spec
    track = spec.get("track")
    limits = spec.get("limits", {})
    return VersionView(
        id=version.id,
        version=version.version,
        name=version.name,
        type=ProblemType(version.type),
        difficulty=Difficulty(version.difficulty),
        tags=tuple(version.tags),
        track=TrackPosition.model_validate(track) if isinstance(track, dict) else None,
        statement_language=str(spec.get("statement_language", "en")),
        statements=statements_of(version),
        samples=tuple(sample_service.render(s, spec, version.type) for s in version.samples),
        limits=LimitsPublic(
            time_s=float(limits.get("time_s", 2.0)), memory_mb=int(limits.get("memory_mb", 256))
        ),
        languages=tuple(languages_of(spec)),
        templates=dict(version.templates),
        editorial_md=version.editorial_md,
        generators=tuple(
            " ".join([g["script"], *g.get("args", [])]) for g in spec.get("generators", [])
        ),
    )


class _Views:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[Engine, OrderedDict[int, VersionView]] = (
            weakref.WeakKeyDictionary()
        )

    def _table(self, engine: Engine) -> OrderedDict[int, VersionView]:
        table = self._by_engine.get(engine)
        if table is None:
            table = self._by_engine[engine] = OrderedDict()
        return table

    def get(self, session: Session, version_id: int) -> VersionView:
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        with self._lock:
            table = self._table(engine)
            view = table.get(version_id)
            if view is not None:
                table.move_to_end(version_id)
                return view
        version = session.get(ProblemVersion, version_id)
        if version is None:
            raise LookupError(f"no problem version {version_id}")
        view = build(version)
        with self._lock:
            table = self._table(engine)
            table[version_id] = view
            while len(table) > MAX_VIEWS:
                table.popitem(last=False)
        return view

    def forget(self, session: Session, version_id: int) -> None:
        engine = session.get_bind()
        with self._lock:
            table = self._by_engine.get(engine)  # type: ignore[arg-type]
            if table is not None:
                table.pop(version_id, None)


_views = _Views()


def view(session: Session, version_id: int) -> VersionView:
    """The view of a version of this session's database (built on first use)."""
    return _views.get(session, version_id)


def forget(session: Session, version_id: int) -> None:
    """Drop a version's view after its derived data changed in place."""
    _views.forget(session, version_id)
