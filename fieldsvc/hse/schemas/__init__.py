"""HSE input and output schemas (API and page forms). Factor and score scales are checked here too,
so a form shows every wrong field at once; the services check them again for every other caller."""
from fieldsvc.hse.schemas.capa import *  # noqa: F403
from fieldsvc.hse.schemas.programme import *  # noqa: F403
from fieldsvc.hse.schemas.registers import *  # noqa: F403
