"""FastAPI specifics of examples/fastapi/app.py: its TestClient, /docs offline, OpenAPI."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient


# --8<-- [start:test_client]
def test_create_then_read_a_user(fastapi_app: FastAPI) -> None:
    client = TestClient(fastapi_app)
    user = {"name": "Grace", "email": "grace@example.org"}
    created = client.post("/api/users", json=user)
    assert created.status_code == 201
    response = client.get(created.headers["Location"])
    assert response.status_code == 200
    assert response.json() == {"id": created.json()["id"], **user}


# --8<-- [end:test_client]


class AssetLinks(HTMLParser):
    """Collects the URLs of a page's scripts, stylesheets and icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") if tag == "script" else found.get("href") if tag == "link" else None
        if url:
            self.urls.append(url)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_only_local_assets(fastapi_app: FastAPI, page: str) -> None:
    client = TestClient(fastapi_app)
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    parser = AssetLinks()
    parser.feed(response.text)
    assert parser.urls, "the page loads its assets from somewhere"
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{page} loads {url} from another host"
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url
    assert "cdn" not in response.text.lower()
    assert "fonts.googleapis" not in response.text


def test_docs_oauth2_redirect_page(fastapi_app: FastAPI) -> None:
    assert TestClient(fastapi_app).get("/docs/oauth2-redirect").status_code == 200


def test_openapi_documents_the_api(fastapi_app: FastAPI) -> None:
    response = TestClient(fastapi_app).get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {"/api/health", "/api/users", "/api/users/{user_id}"}
    get_user = schema["paths"]["/api/users/{user_id}"]["get"]
    assert {"200", "404", "422"} <= set(get_user["responses"])
    create = schema["paths"]["/api/users"]["post"]
    assert {"201", "409", "422"} <= set(create["responses"])
    user_in = schema["components"]["schemas"]["UserIn"]
    assert user_in["properties"]["name"]["maxLength"] == 100
    assert user_in["properties"]["email"]["format"] == "email"
