"""The browser practice page (format ``html``): one self-contained file that drills like ``quizgen drill``.

The page is ``templates/practice/page.html.j2`` with its CSS and three scripts inlined (no network,
no CDN; it opens from ``file://`` and works offline): ``grader.js`` (the drill's grading rule, held to
:mod:`quizgen.grading` by the shared table and a property test), ``scorm.js`` (the SCORM package
only: the LMS side) and ``page.js`` (the UI). The questions travel as one JSON document
(``<script type="application/json" id="quizgen-data">``) built by :func:`page_data`: per skill (a bank
question, or a generator with its pre-rendered variants) the prompt, options, feedback and worked
explanation as HTML with MathML, and :func:`~quizgen.exporters.pagedata.grading_spec`, all the grader needs.
"""

from __future__ import annotations

import base64
import collections
import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, Never, NoReturn

from .._version import __version__
from ..errors import QuizgenError
from ..models import (
    ChoiceQuestion,
    IntegerQuestion,
    MultiQuestion,
    NumericQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
)
from ..precision import stated_precision
from ..textview import answer_form, answer_text, question_title, type_label
from .base import ExportSet, export_digest, utf8
from .check import ExportReadError
from .pagedata import grading_spec

__all__ = [
    "PAGE_FORMAT",
    "PageError",
    "page_data",
    "page_document",
    "page_pieces",
    "read_back",
    "read_page_counts",
    "render_page",
    "write",
]

PAGE_FORMAT = 1
"""The version of the page's JSON document (``format``): page.js refuses a document it does not know."""

_DATA_RE = re.compile(r'<script type="application/json" id="quizgen-data">(?P<data>[^<]*)</script>')


class PageError(QuizgenError):
    """A question the practice page cannot show, or a page that cannot be built."""


def _unsupported(question: Never) -> NoReturn:
    """A question of a type this module does not know (mypy makes every type known here)."""
    kind = getattr(question, "type", type(question).__name__)
    ident = getattr(question, "id", "?")
    raise PageError(
        f"question {ident!r} is a {kind!r} question, which the practice page cannot show; "
        "leave it out with --topic, or export it in another format"
    )


def _html(text: str, inline: bool = False) -> str:
    """Bank text as the page's HTML. A text with digits (a variant's numbers) is rendered without
    being kept, so memory stays flat in the number of variants; one without (titles, bank feedback
    shared by every variant) is rendered once."""
    from ..richtext import to_html, to_html_once

    render = to_html_once if _DIGIT.search(text) else to_html
    return _MATH_RE.sub(_slim_math, render(text, inline))


_DIGIT = re.compile(r"[0-9]")


_MATH_RE = re.compile(r"<math\b[^>]*>.*?</math>", re.DOTALL)
_MATH_NS = ' xmlns="http://www.w3.org/1998/Math/MathML"'


def _slim_math(match: re.Match[str]) -> str:
    return _slim(match.group())


def _slim(math: str) -> str:
    """The same MathML in fewer bytes, as an HTML page may write it: no namespace (the HTML parser
    puts <math> in MathML's), and :func:`~quizgen.richtext.tighten_mathml` (no ``display="inline"``, no
    <mrow> around a single token). The questions take a third less room."""
    from ..richtext import tighten_mathml

    return tighten_mathml(math.replace(_MATH_NS, "", 1))


def _options(question: Question) -> list[str]:
    match question:
        case ChoiceQuestion() | MultiQuestion():
            return [_html(o.text, inline=True) for o in question.options]
        case TrueFalseQuestion():
            return ["True", "False"]
        case IntegerQuestion() | NumericQuestion() | TextQuestion():
            return []
        case _:
            _unsupported(question)


def _teaching(question: Question, titles: dict[str, str]) -> dict[str, Any]:
    """What the drill says after a wrong answer: each option's (or named mistake's) misconception
    title and feedback, as HTML; the page picks the one the grader names."""

    def why(misconception: str | None, feedback: str | None) -> dict[str, str | None]:
        title = titles.get(misconception) if misconception else None
        return {
            "title": _html(title, inline=True) if title else None,
            "feedback": _html(feedback, inline=True) if feedback else None,
        }

    match question:
        case ChoiceQuestion() | MultiQuestion():
            return {"optionNotes": [why(o.misconception, o.feedback) for o in question.options]}
        case IntegerQuestion() | NumericQuestion():
            return {"mistakeNotes": [why(m.misconception, m.feedback) for m in question.mistakes]}
        case TrueFalseQuestion() | TextQuestion():
            return {}
        case _:
            _unsupported(question)


def question_view(question: Question, titles: dict[str, str]) -> dict[str, Any]:
    """One question as the page holds it (JSON-ready): what to show, what the grader needs, what to teach.

    Raises :class:`PageError` for a question of a type the page does not know (before anything else
    reads the question)."""
    options = _options(question)
    form = answer_form(question)
    precision = stated_precision(question.prompt) if isinstance(question, NumericQuestion) else None
    return {
        "id": question.id,
        "type": question.type,
        "label": type_label(question.type),
        "prompt": _html(question.prompt.strip()),
        "options": options,
        "form": f"Answer with {form}." if form else None,
        "digits": precision.digits if precision is not None else None,
        "hint": _html(question.hint, inline=True) if question.hint else None,
        "grade": grading_spec(question),
        "answer": _html(answer_text(question, separator="\n\n"), inline=False)
        if isinstance(question, MultiQuestion)
        else _html(answer_text(question), inline=True),
        "explanation": _html(question.explanation.strip()),
        **_teaching(question, titles),
    }


def _plain(text: str) -> str:
    from ..termmath import render

    return render(text)


def _skills(data: ExportSet, topics: dict[str, str]) -> Iterator[tuple[dict[str, Any], Iterable[Question]]]:
    """Each skill's id, title and topic with its questions: a bank question alone, or a generator's
    variants, drawn when iterated (group by group: nothing is kept). ``topics`` collects the titles."""

    def topic(topic_id: str) -> str:
        if topic_id not in topics:
            found = data.topic(topic_id)
            topics[topic_id] = found.title if found is not None else topic_id
        return topic_id

    for question in data.questions:
        yield (
            {"id": question.id, "title": question_title(question, _plain), "topic": topic(question.topic)},
            [question],
        )
    for group in data.groups:
        if group.count:
            yield {"id": group.id, "title": group.generator.title, "topic": topic(group.topic)}, group


def _header(data: ExportSet) -> dict[str, Any]:
    if not data.questions and not any(group.count for group in data.groups):
        raise PageError("nothing to practise: the selection holds no question (check --topic and --variants)")
    return {
        "format": PAGE_FORMAT,
        "title": data.title,
        "set": export_digest(data),
        "version": __version__,
        "mode": data.mode,
        "passMark": data.pass_mark,
    }


def page_data(data: ExportSet) -> dict[str, Any]:
    """The page's JSON document, whole: the set's title and id, each skill with its variants, the
    topics' titles (for tests and Python callers; the page itself is written skill by skill).

    Bank questions come first, in bank order, then each generator's variants;
    a skill's ``title`` is what the "practise what I missed" list calls it.
    """
    titles = {key: m.title for key, m in data.misconceptions.items()}
    document = _header(data)
    topics: dict[str, str] = {}
    document["skills"] = [
        {**skill, "variants": [question_view(q, titles) for q in questions]}
        for skill, questions in _skills(data, topics)
    ]
    document["topics"] = topics
    return document


def _script_json(value: Any) -> str:
    """JSON that cannot end its <script> element: every '<' (in titles) written as ``\\u003c``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _packed_variants(views: Iterable[dict[str, Any]]) -> tuple[int, str]:
    """A skill's variants as the page carries them: one JSON list, gzip-compressed as it is written
    (memory holds the compressed bytes only), base64-encoded; and how many there are."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip stream (its header has no time stamp)
    parts = [packer.compress(b"[")]
    count = 0
    for view in views:
        text = json.dumps(view, ensure_ascii=False, separators=(",", ":"))
        parts.append(packer.compress((b"," if count else b"") + text.encode("utf-8")))
        count += 1
    parts.append(packer.compress(b"]"))
    parts.append(packer.flush())
    return count, base64.b64encode(b"".join(parts)).decode("ascii")


def _carried(data: ExportSet) -> Iterator[str]:
    """The page's document as it carries it, in pieces: JSON whose skills hold their variants packed
    (``count`` and ``packed``, gzip+base64), unpacked by page.js when a skill is first shown, so the
    first question is on screen at once whatever the size of the set (the whole bank with 20 variants
    per generator is 2 MB of JSON, 0.4 MB so). Written skill by skill: memory stays flat."""
    titles = {key: m.title for key, m in data.misconceptions.items()}
    header = _script_json(_header(data))
    yield header[:-1] + ',"skills":['
    topics: dict[str, str] = {}
    for index, (skill, questions) in enumerate(_skills(data, topics)):
        count, packed = _packed_variants(question_view(q, titles) for q in questions)
        yield ("," if index else "") + _script_json({**skill, "count": count, "packed": packed})
    yield '],"topics":' + _script_json(topics) + "}"


_DATA_MARK = "\x00quizgen-data\x00"


def page_pieces(data: ExportSet, *, scorm: bool = False) -> Iterator[str]:
    """The whole self-contained practice page in pieces (the page before its questions, the questions
    skill by skill, the rest); with ``scorm``, the SCORM 1.2 adapter is inlined too (without an LMS
    around it the page still works on its own)."""
    from markupsafe import Markup

    from ..worksheet import environment

    template = environment().get_template("practice/page.html.j2")
    skills = len(data.questions) + sum(1 for group in data.groups if group.count)
    page = str(
        template.render(
            title=data.title,
            version=__version__,
            mode=data.mode,
            questions=len(data.questions) + data.variant_count,
            skills=skills,
            css=Markup(_asset("page.css")),
            data=Markup(_DATA_MARK),
            scripts=[Markup(_asset(name)) for name in _scripts(scorm)],
        )
    )
    before, after = page.split(_DATA_MARK)
    carried = _carried(data)
    first = next(carried)  # the set is checked (not empty) before anything is written
    yield before
    yield first
    yield from carried
    yield after


def _asset(name: str) -> str:
    from ..resources import templates_folder

    try:
        text = (templates_folder() / "practice" / name).read_text(encoding="utf-8")
    except OSError as exc:  # an incomplete installation
        raise PageError(
            f"quizgen's templates/practice/{name} cannot be read ({exc}): reinstall quizgen"
        ) from None
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower():  # would end the inline element early
        raise PageError(f"templates/practice/{name} contains {closing!r}, which would break the page")
    return text


def render_page(data: ExportSet, *, scorm: bool = False) -> str:
    """The whole self-contained practice page, as one string (see :func:`page_pieces`)."""
    return "".join(page_pieces(data, scorm=scorm))


def _scripts(scorm: bool) -> list[str]:
    return ["grader.js", *(["scorm.js"] if scorm else []), "page.js"]


def write(data: ExportSet, stream: BinaryIO) -> None:
    """Write the page to ``stream`` as it is made (memory stays flat in the number of variants)."""
    for piece in page_pieces(data):
        stream.write(utf8(piece))


def page_document(html: str) -> dict[str, Any]:
    """The JSON document of a written page; :class:`ExportReadError` when it has none."""
    match = _DATA_RE.search(html)
    if match is None:
        raise ExportReadError("the page holds no quizgen-data document: it is not a quizgen practice page")
    try:
        document: dict[str, Any] = json.loads(match["data"])
        if document.get("format") != PAGE_FORMAT:
            raise ExportReadError(
                f"the page's document is format {document.get('format')!r}, not {PAGE_FORMAT}"
            )
        for skill in document["skills"]:
            skill["variants"] = json.loads(gzip.decompress(base64.b64decode(skill.pop("packed"))))
            if len(skill["variants"]) != skill.pop("count"):
                raise ExportReadError(f"skill {skill['id']!r} holds another number of variants than it says")
    except (ValueError, OSError, EOFError, KeyError, TypeError, AttributeError) as exc:
        raise ExportReadError(f"the page's quizgen-data document cannot be read: {exc!r}") from None
    return document


def read_page_counts(html: str) -> collections.Counter[str]:
    """Questions per type in a written page (what ``--check`` prints)."""
    counts: collections.Counter[str] = collections.Counter()
    for skill in page_document(html)["skills"]:
        for variant in skill["variants"]:
            counts[variant["type"]] += 1
    return counts


def read_back(raw: bytes) -> collections.Counter[str]:
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExportReadError(f"the page is not UTF-8 text: {exc}") from None
    return read_page_counts(html)
