"""Loading and validating bank files.

``load_banks()`` reads the bundled banks plus any files or folders given, checks
every question against the models and the topic/misconception vocabularies and
across files (ids must be unique), and returns a :class:`QuestionBank`. When
anything is wrong it raises one :class:`~quizgen.errors.BankError` listing every
problem of every file, each as ``path:line: question-id: message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ValidationError

from .bank import Location, QuestionBank
from .errors import BankError, Problem, did_you_mean
from .generators import BUILTIN_GENERATORS, Generator
from .generators.authored import check_template, template_generator
from .models import (
    NOT_BLANK_PATTERN,
    QUESTION_CLASSES,
    SLUG_PATTERN,
    BankFile,
    Misconception,
    NumericQuestion,
    Question,
    Template,
    Topic,
    refused_character,
)
from .positions import Path_, Positions
from .precision import precision_problems
from .resources import BANK_SUFFIXES, bundled_bank_files
from .vocabulary import BUILTIN_CLAIMS, BUILTIN_MISCONCEPTIONS, BUILTIN_TOPICS

BankSource = str | Path | Traversable

_TOP_LEVEL_FIELDS = tuple(BankFile.model_fields)
_CLAIM_IDS = [c.id for c in BUILTIN_CLAIMS]


CacheUse = bool | Literal["refresh"]


def load_banks(
    sources: Iterable[BankSource] = (), *, include_bundled: bool = True, cache: CacheUse = False
) -> QuestionBank:
    """Load the bundled banks (unless ``include_bundled`` is false) plus ``sources``.

    Each source is a bank file or a folder searched recursively for ``*.yaml``
    and ``*.yml``. Raises :class:`BankError` listing every problem found.

    The library touches nothing outside the files it reads unless asked: with
    ``cache=True`` (what the CLI passes) a bank set that loaded cleanly before is read
    back from a cache in the user's cache folder, keyed by the files' exact contents
    (see bankcache.py), skipping YAML and the templates' domain checks; the cross-file
    checks run on a hit as on a miss. ``cache="refresh"`` checks from scratch and
    stores the result (what `quizgen validate` does); ``cache=False``, the default,
    neither reads nor writes it.
    """
    return _load_banks(sources, include_bundled, cache)


def _load_banks(sources: Iterable[BankSource], include_bundled: bool, cache: CacheUse) -> QuestionBank:
    files: list[Path | Traversable] = list(bundled_bank_files()) if include_bundled else []
    problems: list[Problem] = []
    for source in sources:
        files.extend(_expand(source, problems))
    files = _unique(files)
    contents = [_read(f) for f in files]
    key = None
    size = sum(len(c) for c in contents if isinstance(c, bytes))
    if cache and not problems and all(isinstance(c, bytes) for c in contents):
        from . import bankcache

        key = bankcache.key([str(f) for f in files], contents)  # type: ignore[arg-type]
        payload = bankcache.read(key, size) if cache is True else None
        cached = _revive(payload) if payload is not None else None
        if cached is not None and not cross_file_problems(cached):
            return cached
    bank = _load_files(files, contents, problems)
    if key is not None:
        bankcache.write(key, _cache_payload(bank), size)
    return bank


def build_bank(
    questions: list[Question],
    topics: dict[str, Topic],
    misconceptions: dict[str, Misconception],
    locations: dict[str, Location],
    files: list[str],
    templates: list[Template],
) -> QuestionBank:
    """The bank of checked content, with the built-in generators and one generator per template."""
    generators: dict[str, Generator] = dict(BUILTIN_GENERATORS)
    for template in templates:
        generators[template.id] = template_generator(template, str(locations[template.id]))
    return QuestionBank(
        questions=questions,
        topics=topics,
        misconceptions=misconceptions,
        locations=locations,
        files=files,
        templates=templates,
        generators=generators,
    )


def _cache_payload(bank: QuestionBank) -> bytes:
    """The bank as the plain JSON the cache stores (never pickled objects)."""
    import json

    data = {
        "questions": [q.model_dump(mode="json") for q in bank.questions],
        "templates": [t.model_dump(mode="json") for t in bank.templates],
        "topics": [t.model_dump(mode="json") for t in bank.topics.values()],
        "misconceptions": [m.model_dump(mode="json") for m in bank.misconceptions.values()],
        "locations": {k: [v.path, v.line] for k, v in bank.locations.items()},
        "files": bank.files,
    }
    return json.dumps(data).encode("utf-8")


def _revive(payload: bytes) -> QuestionBank | None:
    """The bank a cache payload holds, validated by the models; None when it is not one."""
    import json

    from .errors import QuizgenError

    try:
        data = json.loads(payload)
        return build_bank(
            questions=[QUESTION_CLASSES[q["type"]].model_validate(q) for q in data["questions"]],  # type: ignore[misc]
            templates=[Template.model_validate(t) for t in data["templates"]],
            topics={t["id"]: Topic.model_validate(t) for t in data["topics"]},
            misconceptions={m["id"]: Misconception.model_validate(m) for m in data["misconceptions"]},
            locations={k: Location(v[0], v[1]) for k, v in data["locations"].items()},
            files=list(data["files"]),
        )
    except (ValidationError, ValueError, KeyError, TypeError, IndexError, QuizgenError):
        return None  # not ours after all: load from the files


def _unique(files: list[Path | Traversable]) -> list[Path | Traversable]:
    """Each file once, however often it was given (a file repeated would clash with itself)."""
    seen: set[str] = set()
    unique = []
    for entry in files:
        key = str(entry.resolve()) if isinstance(entry, Path) else str(entry)
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique


def _read(source: Path | Traversable) -> bytes | OSError:
    try:
        return source.read_bytes()
    except OSError as exc:
        return exc


def _expand(source: BankSource, problems: list[Problem]) -> list[Path | Traversable]:
    if not isinstance(source, (str, Path)):
        return [source]
    path = Path(source)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in BANK_SUFFIXES)
        if not found:
            problems.append(Problem(str(path), None, "no bank files (*.yaml, *.yml) in this folder"))
        return list(found)
    if path.is_file():
        return [path]
    problems.append(Problem(str(path), None, "no such file or folder"))
    return []


@dataclass
class _Entry:
    """A question or template of a file: the model (None when invalid) and its raw mapping."""

    item: Question | Template | None
    raw: dict[str, Any]
    path: str
    index: int
    positions: Positions
    section: str = "questions"

    def line(self, *field_path: str | int) -> int | None:
        if not self.positions.lines:  # read by the fast path: only the id lines are known
            qid = self.raw.get("id")
            return self.positions.id_lines.get(qid) if isinstance(qid, str) else None
        return self.positions.line_of((self.section, self.index, *field_path))


_Parsed = tuple[list[tuple[Topic, int | None]], list[tuple[Misconception, int | None]], list[_Entry]] | None
"""What reading one file gives: its declared topics and misconceptions (with lines), and its entries."""


def _load_files(
    files: Sequence[Path | Traversable], contents: Sequence[bytes | OSError], problems: list[Problem]
) -> QuestionBank:
    """Check every file; clean files are read fast, files with a problem again by the careful reader.

    A file's own problems send it to the careful reader at once; problems found
    across files (ids, topics) send the files they name, in a second pass, which
    reuses what the first pass read carefully (a big file is read carefully once).
    """
    if problems:
        return _check_files(files, contents, problems, careful=None)
    read_carefully: dict[str, tuple[list[Problem], _Parsed]] = {}
    try:
        return _check_files(files, contents, [], careful=set(), read_carefully=read_carefully)
    except BankError as exc:
        named = {p.path for p in exc.problems}
    return _check_files(files, contents, problems, careful=named, read_carefully=read_carefully)


def _check_files(
    files: Sequence[Path | Traversable],
    contents: Sequence[bytes | OSError],
    problems: list[Problem],
    *,
    careful: set[str] | None,
    read_carefully: dict[str, tuple[list[Problem], _Parsed]] | None = None,
) -> QuestionBank:
    """One pass over the files; those in ``careful`` (all, when None) are read with positions.

    ``read_carefully`` keeps each careful reading (its problems and result) for the next pass.
    """
    topics: dict[str, tuple[Topic, Location | None]] = {t.id: (t, None) for t in BUILTIN_TOPICS}
    misconceptions: dict[str, tuple[Misconception, Location | None]] = {
        m.id: (m, None) for m in BUILTIN_MISCONCEPTIONS
    }
    entries: list[_Entry] = []
    for source, raw in zip(files, contents, strict=True):
        label = str(source)
        if isinstance(raw, OSError):
            problems.append(Problem(label, None, f"cannot read: {raw.strerror or raw}"))
            continue
        fast = careful is not None and label not in careful
        found: list[Problem] = []
        if not fast and read_carefully is not None and label in read_carefully:
            found, parsed = read_carefully[label]
        else:
            parsed = _FileParser(label, raw, found).parse(fast)
        if found and fast:  # locate this file's problems: read it again, carefully
            found, parsed = [], None  # let the fast reading go first: a big file's data is large
            parsed = _FileParser(label, raw, found).parse(False)
            fast = False
        if not fast and read_carefully is not None:
            read_carefully[label] = (found, parsed)
        problems.extend(found)
        if parsed is None:
            continue
        declared_topics, declared_misconceptions, file_entries = parsed
        _declare(label, "topics", declared_topics, topics, problems)
        _declare(label, "misconceptions", declared_misconceptions, misconceptions, problems)
        entries.extend(file_entries)

    first_seen: dict[str, _Entry] = {}
    for entry in entries:
        _check_references(entry, first_seen, topics, misconceptions, problems)
    questions: list[Question] = [
        e.item
        for e in entries
        if e.section == "questions" and e.item is not None and not isinstance(e.item, Template)
    ]
    templates = [e.item for e in entries if isinstance(e.item, Template)]
    if problems:
        order = {str(f): n for n, f in enumerate(files)}
        problems.sort(key=lambda p: (order.get(p.path, -1), p.line or 0))
        raise BankError(problems)
    return build_bank(
        questions=questions,
        topics={k: v[0] for k, v in topics.items()},
        misconceptions={k: v[0] for k, v in misconceptions.items()},
        locations={e.item.id: Location(e.path, e.line()) for e in entries if e.item is not None},
        files=[str(f) for f in files],
        templates=templates,
    )


def _check_references(
    entry: _Entry,
    first_seen: dict[str, _Entry],
    topics: dict[str, Any],
    misconceptions: dict[str, Any],
    problems: list[Problem],
) -> None:
    """Checks that need every file: unique ids, declared topics and misconceptions.

    They read the raw mapping, so that a question with other errors is checked too.
    """
    raw = entry.raw
    qid = raw.get("id") if isinstance(raw.get("id"), str) else None
    name = qid or f"{entry.section[:-1]} {entry.index + 1}"
    if qid is not None and entry.section == "templates" and qid in BUILTIN_GENERATORS:
        problems.append(
            Problem(entry.path, entry.line("id"), "this id is a built-in generator's; choose another", name)
        )
    elif qid is not None:
        earlier = first_seen.get(qid)
        if earlier is not None:
            problems.append(
                Problem(
                    entry.path,
                    entry.line("id"),
                    f"duplicate id; it is already used at {earlier.path}:{earlier.line()}. "
                    "Ids must be unique across all loaded banks",
                    name,
                )
            )
        else:
            first_seen[qid] = entry
    topic = raw.get("topic")
    if isinstance(topic, str) and topic not in topics:
        problems.append(
            Problem(
                entry.path,
                entry.line("topic"),
                f"unknown topic {_short(topic)}{did_you_mean(topic, list(topics))}; "
                "declare a new topic under `topics:` (id, title, description)",
                name,
            )
        )
    named = {
        "questions": (("options", "option"), ("mistakes", "mistake")),
        "templates": (("distractors", "distractor"),),
    }
    for key, label in named[entry.section]:
        items = raw.get(key)
        for number, item in enumerate(items if isinstance(items, list) else [], start=1):
            misconception = item.get("misconception") if isinstance(item, dict) else None
            if isinstance(misconception, str) and misconception not in misconceptions:
                problems.append(
                    Problem(
                        entry.path,
                        entry.line(key, number - 1, "misconception"),
                        f"{label} {number}: unknown misconception {_short(misconception)}"
                        f"{did_you_mean(misconception, list(misconceptions))}; declare it under "
                        "`misconceptions:` (id, title, description)",
                        name,
                    )
                )
    claims = raw.get("claims")
    for number, claim in enumerate(claims if isinstance(claims, list) else [], start=1):
        if isinstance(claim, str) and claim not in _CLAIM_IDS:
            problems.append(
                Problem(
                    entry.path,
                    entry.line("claims", number - 1),
                    f"claim {number}: unknown claim {_short(claim)}{did_you_mean(claim, _CLAIM_IDS)}; "
                    "`quizgen claims` lists the claims that a simulation checks",
                    name,
                )
            )


def _declare(
    label: str,
    kind: str,
    declared: list[tuple[Any, int | None]],
    known: dict[str, tuple[Any, Location | None]],
    problems: list[Problem],
) -> None:
    for item, line in declared:
        if item.id in known:
            where = known[item.id][1]
            origin = f"declared at {where}" if where else "built in"
            problems.append(
                Problem(
                    label, line, f"{kind[:-1]} {item.id!r} is already {origin}; use it without declaring it"
                )
            )
        else:
            known[item.id] = (item, Location(label, line))


class _FileParser:
    """Checks one bank file, appending every problem it finds to ``problems``."""

    def __init__(self, label: str, raw: bytes, problems: list[Problem]) -> None:
        self.label = label
        self.raw = raw
        self.problems = problems
        self.positions = Positions()

    def problem(self, line: int | None, message: str, question_id: str | None = None) -> None:
        self.problems.append(Problem(self.label, line, message, question_id))

    def parse(
        self, fast: bool = False
    ) -> tuple[list[tuple[Topic, int | None]], list[tuple[Misconception, int | None]], list[_Entry]] | None:
        from .yamlsource import YamlProblem, decode, fast_parse, parse  # not needed when the cache answers

        try:
            text = decode(self.raw)
            data = fast_parse(text) if fast else None
            if data is None:
                data, self.positions = parse(text)
            else:
                self.positions.id_lines = _id_lines(text)
        except YamlProblem as exc:
            self.problems.append(Problem(self.label, exc.line, exc.message, column=exc.column))
            return None
        for path, line, first in self.positions.duplicates:
            self.problem(line, f"duplicate key {_short(path[-1])} (first given on line {first}); remove one")
        for _, line, what in self.positions.bad_keys:
            self.problem(line, what)
        if data is None:
            self.problem(1, "the file is empty; a bank file is a mapping with a `questions:` list")
            return None
        if not isinstance(data, dict):
            self.problem(1, f"a bank file is a mapping with a `questions:` list, not {_kind(data)}")
            return None
        for key in data:
            if key not in _TOP_LEVEL_FIELDS:
                self.problem(self.positions.line_of((key,)), _unknown_field(str(key), _TOP_LEVEL_FIELDS))
        header = {k: v for k, v in data.items() if k in ("title", "description")}
        self._validate(BankFile, header, ())
        topics = self._declarations(data.get("topics", []), "topics", Topic)
        misconceptions = self._declarations(data.get("misconceptions", []), "misconceptions", Misconception)
        if "questions" not in data and "templates" not in data:
            self.problem(1, "no `questions:` list; add one (it may be empty)")
        entries = []
        for section in ("questions", "templates"):
            items = data.get(section, [])
            if not isinstance(items, list):
                self.problem(
                    self.positions.line_of((section,)), f"`{section}` must be a list, not {_kind(items)}"
                )
                continue
            for index, raw in enumerate(items):
                item = self._question(index, raw) if section == "questions" else self._template(index, raw)
                if isinstance(raw, dict):
                    entries.append(_Entry(item, raw, self.label, index, self.positions, section))
        return topics, misconceptions, entries

    def _declarations(self, raw: Any, key: str, model: type[BaseModel]) -> list[tuple[Any, int | None]]:
        if not isinstance(raw, list):
            self.problem(self.positions.line_of((key,)), f"`{key}` must be a list, not {_kind(raw)}")
            return []
        result = []
        for index, item in enumerate(raw):
            value = self._validate(model, item, (key, index))
            if value is not None:
                result.append((value, self.positions.line_of((key, index))))
        return result

    def _question(self, index: int, raw: Any) -> Question | None:
        path: Path_ = ("questions", index)
        line = self.positions.line_of(path)
        name = f"question {index + 1}"
        if not isinstance(raw, dict):
            self.problem(line, f"a question is a mapping of fields, not {_kind(raw)}", name)
            return None
        if isinstance(raw.get("id"), str) and raw["id"].strip():
            name = raw["id"]
        kind = raw.get("type")
        if kind is None:
            self.problem(line, f"missing field 'type'; use one of: {', '.join(QUESTION_CLASSES)}", name)
            return None
        if not isinstance(kind, str) or kind not in QUESTION_CLASSES:
            self.problem(
                self.positions.line_of((*path, "type")),
                f"unknown type {_short(kind)}{did_you_mean(str(kind), list(QUESTION_CLASSES))}; "
                f"use one of: {', '.join(QUESTION_CLASSES)}",
                name,
            )
            return None
        question = self._validate(QUESTION_CLASSES[kind], raw, path, name)
        if isinstance(question, NumericQuestion):
            for message in precision_problems(question):
                self.problem(self.positions.line_of((*path, "tolerance")), message, name)
        return question  # type: ignore[return-value]

    def _template(self, index: int, raw: Any) -> Template | None:
        path: Path_ = ("templates", index)
        name = f"template {index + 1}"
        if not isinstance(raw, dict):
            self.problem(
                self.positions.line_of(path), f"a template is a mapping of fields, not {_kind(raw)}", name
            )
            return None
        if isinstance(raw.get("id"), str) and raw["id"].strip():
            name = raw["id"]
        template = self._validate(Template, raw, path, name)
        if not isinstance(template, Template):
            return None
        found = check_template(template)
        for field_path, message in found:
            self.problem(self.positions.line_of((*path, *field_path)), message, name)
        return None if found else template

    def _report(self, exc: ValidationError, model: type[BaseModel], path: Path_, name: str | None) -> None:
        # A method of its own: its loop variable (whose ValueError's traceback reaches the
        # parsing frames) dies with it, instead of keeping the file's data alive in a cycle.
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            self.problem(self.positions.line_of((*path, *loc)), _describe(error, model), name)

    def _validate(
        self, model: type[BaseModel], raw: Any, path: Path_, name: str | None = None
    ) -> BaseModel | None:
        try:
            value = model.model_validate(raw)
        except ValidationError as exc:
            self._report(exc, model, path, name)
            return None
        for field_path, text in _strings(raw, ()):
            if "![" in text or "\\style" in text or "\\require" in text:
                from .richtext import remote_references  # markdown-it: only for texts that may need it

                for message in remote_references(text):
                    where = self.positions.line_of((*path, *field_path))
                    self.problem(where, f"{_dotted(field_path)}: {message}", name)
        return value


def _strings(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string of a parsed mapping, with its field path (for located messages)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


_ID_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)")


def _id_lines(text: str) -> dict[str, int]:
    """The line of each `id:` in a file (what the fast path keeps of positions)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if "id:" in line:
            match = _ID_LINE.match(line)
            if match:
                lines.setdefault(match.group(1), number)
    return lines


def _describe(error: Any, model: type[BaseModel]) -> str:
    loc = tuple(error["loc"])
    kind = error["type"]
    where = _dotted(loc)
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        if pattern == NOT_BLANK_PATTERN:
            text = error.get("input")
            refused = refused_character(text) if isinstance(text, str) else None
            return f"{where}: {refused or 'must not be empty'}"
        if pattern == SLUG_PATTERN:
            return (
                f"{where}: {error.get('input')!r} is not a valid identifier; use lower-case letters, digits "
                "and single '-', '_' or '.' between them (e.g. 'xavier-07')"
            )
    if kind == "missing":
        return f"missing required field {where!r}"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = tuple(owner.model_fields) if owner else ()
        prefix = f"{_dotted(loc[:-1])}: " if len(loc) > 1 else ""
        return prefix + _unknown_field(str(loc[-1]), allowed)
    message = str(error["msg"])
    for lead in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(lead)
    if message.startswith("Input should"):
        message = "should" + message[len("Input should") :]
        message += f", not {_short(error.get('input'))}"
    return f"{where}: {message}" if where else message


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the fields at ``loc`` (for 'did you mean' hints)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        candidates = _models_in(info.annotation) if info is not None else []
        if not candidates:
            return None
        current = candidates[0]
    return current


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        found.extend(_models_in(arg))
    return found


def _unknown_field(key: str, allowed: Sequence[str]) -> str:
    hint = did_you_mean(key, list(allowed))
    listing = f"; allowed fields: {', '.join(allowed)}" if not hint and allowed else ""
    return f"unknown field {_short(key)}{hint}{listing}"


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _kind(value: Any) -> str:
    names: dict[type, str] = {
        type(None): "an empty entry",
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def cross_file_problems(bank: QuestionBank) -> list[str]:
    """What the file checks would refuse in an already built bank (one read from the cache).

    The same rules as on a miss, so a cache hit is indistinguishable from reading the
    files: unique ids, no template named like a built-in generator, topics and
    misconceptions that are declared (built-in ones exactly as the code defines them),
    known claims, and tolerances that fit the precision their prompt states.
    """
    problems: list[str] = []
    builtin_topics = {t.id: t for t in BUILTIN_TOPICS}
    builtin_misconceptions = {m.id: m for m in BUILTIN_MISCONCEPTIONS}
    for topic_id, topic in builtin_topics.items():
        if bank.topics.get(topic_id) != topic:
            problems.append(f"built-in topic {topic_id!r} differs from the code's")
    for misconception_id, misconception in builtin_misconceptions.items():
        if bank.misconceptions.get(misconception_id) != misconception:
            problems.append(f"built-in misconception {misconception_id!r} differs from the code's")
    ids = [q.id for q in bank.questions] + [t.id for t in bank.templates]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    problems.extend(
        f"template {t.id!r} has a built-in generator's id"
        for t in bank.templates
        if t.id in BUILTIN_GENERATORS
    )
    claims = set(_CLAIM_IDS)
    for item in [*bank.questions, *bank.templates]:
        if item.topic not in bank.topics:
            problems.append(f"{item.id}: unknown topic {item.topic!r}")
        if isinstance(item, Template):
            named: list[Any] = list(item.distractors)
        else:
            named = [*getattr(item, "options", ()), *getattr(item, "mistakes", ())]
        for entry in named:
            if entry.misconception is not None and entry.misconception not in bank.misconceptions:
                problems.append(f"{item.id}: unknown misconception {entry.misconception!r}")
        problems.extend(f"{item.id}: unknown claim {c!r}" for c in item.claims if c not in claims)
        if isinstance(item, NumericQuestion):
            problems.extend(f"{item.id}: {message}" for message in precision_problems(item))
    return problems
