"""The directory list: filters from the query string (a filtered list is a URL to bookmark),
pagination, and the look-up of an institution already entered."""
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..geo.queries import all_regions
from ..pagination import Page
from ..params import parse_int, parse_text
from .models import Institution, InstitutionEmail
from .search import EMAIL_TEXT, INSTITUTION_TEXT
from .vocabularies import INSTITUTION_KIND

PAGE_SIZE = 50


@dataclass
class DirectoryFilters:
    kind: str = ""
    region: str = ""
    q: str = ""
    contact: str = ""  # "missing": the institutions with no address yet ("contact à compléter")
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "DirectoryFilters":
        """Unknown values are dropped, never passed to the database."""
        kind = args.get("kind", "")
        region = args.get("region", "")
        page = args.get("page", "1")
        return cls(
            kind=kind if kind in INSTITUTION_KIND else "",
            region=region if region in {r.code for r in all_regions()} else "",
            q=parse_text(args.get("q"), 100),
            contact="missing" if args.get("contact") == "missing" else "",
            page=parse_int(page, 1, 99999) or 1,
        )

    def query_string(self, **changes) -> str:
        args = {"kind": self.kind, "region": self.region, "q": self.q, "contact": self.contact,
                "page": self.page if self.page != 1 else ""}
        args.update(changes)
        return urlencode({key: value for key, value in args.items() if value})

    @property
    def active(self) -> bool:
        return bool(self.kind or self.region or self.q or self.contact)


def filtered_query(filters: DirectoryFilters):
    query = select(Institution)
    if filters.kind:
        query = query.where(Institution.kind == filters.kind)
    if filters.region:
        query = query.where(Institution.region_code == filters.region)
    if filters.contact == "missing":
        query = query.where(~exists(select(InstitutionEmail.id).where(InstitutionEmail.institution_id == Institution.id)))
    if filters.q:  # names, contact, title or an address, through the search indexes
        query = query.where(or_(INSTITUTION_TEXT.matches(filters.q), Institution.id.in_(
            select(InstitutionEmail.institution_id).where(EMAIL_TEXT.matches(filters.q)))))
    return query


def list_page(filters: DirectoryFilters, size: int = PAGE_SIZE) -> Page:
    base = filtered_query(filters)
    total = db.session.scalar(select(func.count()).select_from(base.with_only_columns(Institution.id).subquery()))
    number = min(filters.page, max(1, -(-total // size)))
    rows = db.session.scalars(
        base.options(selectinload(Institution.emails), selectinload(Institution.region),
                     selectinload(Institution.province))
        .order_by(func.lower(Institution.name_fr), Institution.id).limit(size).offset((number - 1) * size)).all()
    return Page(rows=list(rows), total=total, number=number, size=size)


def duplicate_key(kind: str, name_fr: str, region_code: str | None, province_code: str | None) -> tuple:
    """Two entries are the same institution when kind, French name (any case) and place agree."""
    return kind, " ".join(name_fr.split()).lower(), region_code or "", province_code or ""


def existing_keys() -> set[tuple]:
    """Every entry's key, read once for a whole CSV file."""
    rows = db.session.execute(select(Institution.kind, Institution.name_fr, Institution.region_code,
                                     Institution.province_code))
    return {duplicate_key(*row) for row in rows}


def is_duplicate(values: dict, exclude_id: int | None = None) -> bool:
    """True when another entry has the same key (candidates narrowed in SQL, compared here)."""
    key = duplicate_key(values["kind"], values["name_fr"], values["region_code"], values["province_code"])
    query = select(Institution).where(Institution.kind == values["kind"],
                                      Institution.region_code.is_(None) if not values["region_code"]
                                      else Institution.region_code == values["region_code"])
    return any(duplicate_key(i.kind, i.name_fr, i.region_code, i.province_code) == key
               for i in db.session.scalars(query) if i.id != exclude_id)
