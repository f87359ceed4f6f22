"""The installable app: manifest, a versioned service worker, the offline page."""


def test_manifest_is_installable(client):
    data = client.get("/manifest.webmanifest").json
    assert data["display"] == "standalone" and data["start_url"] == "/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_versioned_and_lists_a_shell_that_exists(client):
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"
    assert "__VERSION__" not in body and "__SHELL__" not in body
    import json
    import re
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    assert "/offline" in shell
    for url in shell:
        assert client.get(url).status_code == 200, url


def test_version_changes_with_static_files(tmp_path):
    from fieldsvc.core.pwa import static_version
    (tmp_path / "a.css").write_text("a{}")
    first = static_version(str(tmp_path))
    static_version.cache_clear()
    (tmp_path / "a.css").write_text("a{color:red}")
    assert static_version(str(tmp_path)) != first
    static_version.cache_clear()


def test_offline_page_needs_no_login(client):
    response = client.get("/offline")
    assert response.status_code == 200
