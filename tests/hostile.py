"""What the hostile-input tests share: every request they send goes through `send`,
which counts it and any server error, so that the run can say how many requests
were tried and how many answered 5xx (printed at the end of the test run)."""

TALLY = {"tried": 0, "server_errors": 0}


def send(client, method: str, path: str, *args, **kwargs):
    """The client's answer to one hostile request; a 5xx or an exception is counted
    (and the exception re-raised: the test fails with its traceback)."""
    TALLY["tried"] += 1
    try:
        response = getattr(client, method)(path, *args, **kwargs)
    except Exception:
        TALLY["server_errors"] += 1
        raise
    if response.status_code >= 500:
        TALLY["server_errors"] += 1
    return response


def refused(response, status: int = 400) -> dict | None:
    """Assert a refusal with `status`; on the API, the one error shape's first error."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert body["type"] == "client_error" or body["type"] == "validation_error", body
        return body["errors"][0]
    return None
