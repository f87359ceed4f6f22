"""The key pages measured by `make bench`: (name, user or None, path). `{customer_id}` etc. are filled in
from the seeded data by bench.run.resolve(). Domains add their key pages here."""

KEY_PAGES = [
    ("healthz (stack limit)", None, "/healthz"),
    ("login page", None, "/login"),
    ("home · director", "director", "/"),
    ("customer search", "station_chief", "/customers/?q=幸福"),
    ("customer page", "station_chief", "/customers/{customer_id}"),
    ("chief's board", "station_chief", "/dispatch/"),
    ("technician's jobs", "repair_tech", "/dispatch/jobs"),
    ("reader's route stop", "meter_reader", "/readings/routes/{route_id}/stops/1"),
    ("metering lab", "metering_tech", "/metering/"),
    ("director dashboard", "director", "/reports/"),
]
