"""The baseline a website search gives: plain BM25 keyword search over the same catalogue."""

from __future__ import annotations

import re

from rank_bm25 import BM25Okapi
from sqlalchemy import select
from sqlalchemy.orm import Session

from language.text import LANGUAGES
from service_catalog.models import Service

_WORD = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class KeywordSearch:
    def __init__(self, session: Session) -> None:
        self.services = list(session.scalars(select(Service).order_by(Service.id)))
        documents = []
        for service in self.services:
            parts = [
                getattr(service, f"{field}_{lang}") or ""
                for field in ("name", "description")
                for lang in LANGUAGES
            ]
            parts += [" ".join(words) for words in (service.keywords or {}).values()]
            documents.append(_tokens(" ".join(parts)))
        self.index = BM25Okapi(documents)

    def types(self, query: str, limit: int = 3) -> list[str]:
        """The service types of the best hits, one per type; [] when no word matches."""
        scores = self.index.get_scores(_tokens(query))
        ranked = sorted(zip(scores, self.services, strict=True), key=lambda pair: -pair[0])
        result: list[str] = []
        for score, service in ranked:
            if score <= 0 or len(result) == limit:
                break
            if service.type not in result:
                result.append(service.type)
        return result
