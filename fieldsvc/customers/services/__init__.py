"""Customer, meter and appliance use cases: explicit actor, permission first, flush, never commit.

One module per kind of record; this package re-exports their use cases, so callers import from
`fieldsvc.customers.services`."""
from fieldsvc.customers.services.appliances import (  # noqa: F401
    add_appliance,
    add_appliance_by_id,
    appliance_expired,
)
from fieldsvc.customers.services.customers import (  # noqa: F401
    ADDRESS_PARTS,
    CUSTOMER_FIELDS,
    create_customer,
    district_by_name,
    get_customer,
    list_districts,
    search_customers,
    update_customer,
)
from fieldsvc.customers.services.meters import (  # noqa: F401
    METER_FIELDS,
    commission_meter,
    create_meter,
    fit_meter,
    get_meter,
    install_meter,
    installed_meter,
    remove_meter,
    seal_meter,
    search_meters,
    unfit_meter,
    update_meter,
)
from fieldsvc.customers.services.supply import (  # noqa: F401
    set_status,
    set_supply,
)
from fieldsvc.customers.services.timeline import (  # noqa: F401
    TimelineEvent,
    TimelineSource,
    add_timeline_source,
    timeline,
)
