"""SCORM 1.2 package (format ``scorm``): the practice page as one SCO that reports to the LMS.

The zip holds two files::

    imsmanifest.xml   IMS Content Packaging 1.1.2 with ADL's SCORM 1.2 extensions (valid against
                      ADL's schemas): one organization, one item titled as the set, one SCO resource;
                      ``adlcp:masteryscore`` from ``ExportSet.pass_mark`` when there is one
    index.html        the practice page (:func:`.page.render_page` with ``scorm=True``), which
                      inlines ``templates/practice/scorm.js``: the SCORM 1.2 runtime side (finds the
                      LMS's API, reports score, status, session time and one interaction per answer,
                      keeps its progress in ``cmi.suspend_data``)

Without an LMS around it, index.html is the plain practice page. The zip is deterministic (fixed
timestamps, names in order) and its identifiers come from :func:`.base.export_digest`, so the same
export gives the same bytes and an LMS recognises a re-upload of the same content.
"""

from __future__ import annotations

import collections
import io
import zipfile
from typing import BinaryIO

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from ..errors import QuizgenError
from .base import ExportSet, export_digest, utf8, xml_safe, zip_info
from .check import ExportReadError

__all__ = ["MANIFEST", "PAGE", "ScormError", "manifest_xml", "read_back", "write"]

CP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{CP_NS} imscp_rootv1p1p2.xsd "
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    f"{ADLCP_NS} adlcp_rootv1p2.xsd"
)
MANIFEST = "imsmanifest.xml"
PAGE = "index.html"
TITLE_LIMIT = 200
"""IMS CP's ``title`` holds at most 200 characters."""


class ScormError(QuizgenError):
    """A SCORM package cannot be made as asked (a pass mark outside 0-100)."""


def _title(text: str) -> str:
    """The set's title for the manifest: XML-safe, at most 200 characters (an ellipsis ends a cut one)."""
    text = " ".join(xml_safe(text).split()) or "quizgen practice"
    if len(text) > TITLE_LIMIT:
        text = text[: TITLE_LIMIT - 1].rstrip() + "…"
    return text


def _mastery(pass_mark: int | None) -> str | None:
    if pass_mark is None:
        return None
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 0 <= pass_mark <= 100:
        raise ScormError(
            f"the pass mark must be a whole percentage from 0 to 100, not {pass_mark!r}",
            parameter="pass_mark",
        )
    return str(pass_mark)


def manifest_xml(data: ExportSet) -> bytes:
    """The package's ``imsmanifest.xml`` (UTF-8, with an XML declaration)."""
    mastery = _mastery(data.pass_mark)
    digest = export_digest(data)
    cp = f"{{{CP_NS}}}"
    adlcp = f"{{{ADLCP_NS}}}"
    manifest = etree.Element(
        f"{cp}manifest",
        {"identifier": f"quizgen-{digest}", "version": "1.2", f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION},
        nsmap={None: CP_NS, "adlcp": ADLCP_NS, "xsi": XSI_NS},
    )
    metadata = etree.SubElement(manifest, f"{cp}metadata")
    etree.SubElement(metadata, f"{cp}schema").text = "ADL SCORM"
    etree.SubElement(metadata, f"{cp}schemaversion").text = "1.2"
    organizations = etree.SubElement(manifest, f"{cp}organizations", {"default": f"quizgen-org-{digest}"})
    organization = etree.SubElement(
        organizations, f"{cp}organization", {"identifier": f"quizgen-org-{digest}"}
    )
    title = _title(data.title)
    etree.SubElement(organization, f"{cp}title").text = title
    item = etree.SubElement(
        organization,
        f"{cp}item",
        {
            "identifier": f"quizgen-item-{digest}",
            "identifierref": f"quizgen-sco-{digest}",
            "isvisible": "true",
        },
    )
    etree.SubElement(item, f"{cp}title").text = title
    if mastery is not None:
        etree.SubElement(item, f"{adlcp}masteryscore").text = mastery
    resources = etree.SubElement(manifest, f"{cp}resources")
    resource = etree.SubElement(
        resources,
        f"{cp}resource",
        {
            "identifier": f"quizgen-sco-{digest}",
            "type": "webcontent",
            f"{adlcp}scormtype": "sco",
            "href": PAGE,
        },
    )
    etree.SubElement(resource, f"{cp}file", {"href": PAGE})
    etree.indent(manifest, space="  ")
    text: bytes = etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return text


def write(data: ExportSet, stream: BinaryIO) -> None:
    """The SCORM 1.2 zip, written to ``stream`` (deterministic: the same export set gives the same bytes).

    The manifest is made first, so that a bad pass mark stops the export before the page is built.
    """
    from .page import page_pieces

    manifest = manifest_xml(data)
    pieces = page_pieces(data, scorm=True)
    first = next(pieces)  # an empty set or a question the page cannot show stops here, before any byte
    # Built in memory (compressed: a page of 60,000 questions is 7 MB so): zipfile writes other bytes
    # (data descriptors) to a stream it cannot seek, and the same set must give the same bytes whatever
    # the stream. The page goes into the zip piece by piece, as it is made.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zip_info(MANIFEST), manifest)  # the manifest first: names in sorted order
        with archive.open(zip_info(PAGE), "w") as entry:
            entry.write(utf8(first))
            for piece in pieces:
                entry.write(utf8(piece))
    stream.write(buffer.getvalue())


def export(data: ExportSet) -> bytes:
    """The package in memory (for tests and small sets)."""
    buffer = io.BytesIO()
    write(data, buffer)
    return buffer.getvalue()


def read_back(raw: bytes) -> collections.Counter[str]:
    """Question counts per type, read from the page the manifest launches (``export --check``).

    The manifest must name one SCO resource whose page is in the zip; anything else is an
    :class:`~.check.ExportReadError` (one line).
    """
    from .page import read_page_counts

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise ExportReadError("the SCORM package is not a zip file") from None
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise ExportReadError(f"the SCORM package has no {MANIFEST} at its root")
        try:
            manifest = etree.fromstring(archive.read(MANIFEST), etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError as exc:
            raise ExportReadError(f"the SCORM package's {MANIFEST} is not well-formed XML: {exc}") from None
        href = _launch(manifest)
        if href not in names:
            raise ExportReadError(f"the SCORM package's manifest launches {href!r}, which is not in the zip")
        try:
            html = archive.read(href).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ExportReadError(f"the SCORM package's {href} is not UTF-8 text: {exc}") from None
    return read_page_counts(html)


def _launch(manifest: etree._Element) -> str:
    """The href of the manifest's one SCO resource, listed among its own files; else ExportReadError."""
    if manifest.tag != f"{{{CP_NS}}}manifest" or manifest.get("version") != "1.2":
        raise ExportReadError(f"the SCORM package's {MANIFEST} is not a SCORM 1.2 manifest")
    scos = [r for r in manifest.iter(f"{{{CP_NS}}}resource") if r.get(f"{{{ADLCP_NS}}}scormtype") == "sco"]
    if len(scos) != 1:
        raise ExportReadError(f"the SCORM package's {MANIFEST} has {len(scos)} SCO resources, not one")
    href = str(scos[0].get("href") or "")
    if not href:
        raise ExportReadError("the SCORM package's SCO resource has no href (the page it launches)")
    files = [f.get("href") for f in scos[0].iter(f"{{{CP_NS}}}file")]
    if href not in files:
        raise ExportReadError(
            f"the SCORM package's SCO resource does not list its page {href!r} among its files"
        )
    refs = {i.get("identifierref") for i in manifest.iter(f"{{{CP_NS}}}item")}
    if scos[0].get("identifier") not in refs:
        raise ExportReadError(f"the SCORM package's {MANIFEST} has no item that launches its SCO")
    return href
