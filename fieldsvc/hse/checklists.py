"""Default self-inspection checklists per department: copied into each new self-inspection, so a
later change of the list never rewrites what was inspected. English source text, translated on show."""
from flask_babel import lazy_gettext as _l

COMMON = [
    _l("Fire extinguishers in place, inspected this month, pressure in the green"),
    _l("Escape routes and exits clear, emergency lighting works"),
    _l("Emergency contact list and leak response procedure posted and current"),
    _l("Staff wear the required personal protective equipment"),
]
CHECKLISTS = {
    "office": [
        _l("Safety meeting held this month and minuted"),
        _l("Hazard register reviewed; significant hazards have named owners"),
        _l("Department vehicles: inspection, insurance and driver licences current"),
        _l("Electrical sockets and extension leads not overloaded"),
    ],
    "station": [
        _l("Dispatch log: emergency orders reached on site within the target time"),
        _l("Odorant and chemical store locked, labelled, with spill kit"),
        _l("Customer safety publicity material in stock at the counter"),
        _l("Portable gas detectors calibrated and charged"),
    ],
    "repair_crew": [
        _l("Gas detectors bump-tested before use, calibration in date"),
        _l("Non-sparking tools and explosion-proof torch issued to each technician"),
        _l("Ladders inspected and tagged; fall protection for riser work available"),
        _l("Work vehicle carries extinguisher, first-aid kit and warning signs"),
    ],
    "pipe_crew": [
        _l("Hot work permits issued and closed for all cutting and welding"),
        _l("Excavations near mains located with the network drawings and barriered"),
        _l("Pipe threading machine guards fitted, electric cables undamaged"),
        _l("Purging done to the outside with ventilation and no ignition sources"),
    ],
    "reading_team": [
        _l("Readers carry a gas detector for indoor meter rooms"),
        _l("Confined meter rooms ventilated before entry"),
        _l("Dog-bite and assault incidents reported and followed up"),
        _l("Route risk notes (unsafe stairs, aggressive customers) up to date"),
    ],
    "card_hall": [
        _l("Cash handling and safe procedures followed, CCTV working"),
        _l("Customer waiting area free of trip hazards"),
        _l("Safety leaflets handed out with every new card"),
        _l("Counter staff know the emergency number and leak advice"),
    ],
    "metering_office": [
        _l("Bench compressor pressure vessel inspection certificate in date"),
        _l("Bench electrical equipment earthed, residual current device tested"),
        _l("Meters under test purged of gas; room ventilated, no ignition sources"),
        _l("Scrapped meters and batteries stored for licensed disposal"),
    ],
}


def items_for(unit: str) -> list[str]:
    return [str(t) for t in CHECKLISTS.get(unit, []) + COMMON]
